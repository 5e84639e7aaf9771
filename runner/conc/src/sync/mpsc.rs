//! `conc::sync::mpsc`: channels, as `std::sync::mpsc`. Built here on the backend's mutex and condition
//! variable so that every backend has the same channels (loom has no bounded ones).

use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::Arc;
pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};
use std::time::Duration;

struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver_alive: bool,
    /// Messages taken so far; a rendezvous sender waits until its message is among them.
    taken: u64,
    sent: u64,
}

struct Channel<T> {
    id: usize,
    /// `None` for an unbounded channel; `Some(0)` is a rendezvous channel.
    bound: Option<usize>,
    state: imp::Mutex<State<T>>,
    changed: imp::Condvar,
}

impl<T> Channel<T> {
    #[track_caller]
    fn new(bound: Option<usize>) -> Arc<Self> {
        let kind = if bound.is_some() {
            "sync_channel"
        } else {
            "channel"
        };
        Arc::new(Channel {
            id: trace::object(kind, Location::caller()),
            bound,
            state: imp::Mutex::new(State {
                queue: VecDeque::new(),
                senders: 1,
                receiver_alive: true,
                taken: 0,
                sent: 0,
            }),
            changed: imp::Condvar::new(),
        })
    }

    fn lock(&self) -> imp::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, guard: imp::MutexGuard<'a, State<T>>) -> imp::MutexGuard<'a, State<T>> {
        self.changed.wait(guard).unwrap_or_else(|p| p.into_inner())
    }

    fn send(&self, value: T, block: bool) -> Result<(), TrySendError<T>> {
        let mut state = self.lock();
        if let Some(bound) = self.bound.filter(|&b| b > 0) {
            while state.receiver_alive && state.queue.len() >= bound {
                if !block {
                    return Err(TrySendError::Full(value));
                }
                state = self.wait(state);
            }
        }
        if !state.receiver_alive {
            return Err(TrySendError::Disconnected(value));
        }
        state.queue.push_back(value);
        state.sent += 1;
        let ticket = state.sent;
        self.changed.notify_all();
        if self.bound == Some(0) {
            // A rendezvous: the sender returns once its message has been taken.
            while state.receiver_alive && state.taken < ticket {
                state = self.wait(state);
            }
        }
        Ok(())
    }

    fn recv(&self, timeout: Option<Duration>) -> Result<T, RecvTimeoutError> {
        let mut state = self.lock();
        loop {
            if let Some(value) = state.queue.pop_front() {
                state.taken += 1;
                self.changed.notify_all();
                return Ok(value);
            }
            if state.senders == 0 {
                return Err(RecvTimeoutError::Disconnected);
            }
            state = match timeout {
                None => self.wait(state),
                Some(t) => {
                    let (state, result) = self
                        .changed
                        .wait_timeout(state, t)
                        .unwrap_or_else(|p| p.into_inner());
                    if result.timed_out() && state.queue.is_empty() && state.senders > 0 {
                        return Err(RecvTimeoutError::Timeout);
                    }
                    state
                }
            };
        }
    }

    fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = self.lock();
        match state.queue.pop_front() {
            Some(value) => {
                state.taken += 1;
                self.changed.notify_all();
                Ok(value)
            }
            None if state.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

/// The sending half of an unbounded [`channel`]; clone it for more producers.
pub struct Sender<T> {
    channel: Arc<Channel<T>>,
}

/// The sending half of a bounded [`sync_channel`]: `send` blocks while the channel is full.
pub struct SyncSender<T> {
    channel: Arc<Channel<T>>,
}

/// The receiving half of a channel.
pub struct Receiver<T> {
    channel: Arc<Channel<T>>,
}

/// An unbounded channel: `send` never blocks.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let channel = Channel::new(None);
    (
        Sender {
            channel: channel.clone(),
        },
        Receiver { channel },
    )
}

/// A channel holding at most `bound` messages; with 0, every send waits for its receive (a rendezvous).
#[track_caller]
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let channel = Channel::new(Some(bound));
    (
        SyncSender {
            channel: channel.clone(),
        },
        Receiver { channel },
    )
}

fn disconnected<T>(e: TrySendError<T>) -> SendError<T> {
    match e {
        TrySendError::Full(v) | TrySendError::Disconnected(v) => SendError(v),
    }
}

impl<T> Sender<T> {
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        trace::here(|| Op::Send {
            obj: self.channel.id,
        });
        self.channel.send(value, true).map_err(disconnected)
    }
}

impl<T> SyncSender<T> {
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        trace::here(|| Op::Send {
            obj: self.channel.id,
        });
        self.channel.send(value, true).map_err(disconnected)
    }

    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        trace::here(|| Op::Send {
            obj: self.channel.id,
        });
        self.channel.send(value, false)
    }
}

impl<T> Receiver<T> {
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.recv_at(Location::caller())
    }

    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.try_recv_at(Location::caller())
    }

    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        let at = Location::caller();
        trace::event(
            Op::Recv {
                obj: self.channel.id,
            },
            Some(at),
        );
        let result = self.channel.recv(Some(timeout));
        self.received(
            &result,
            matches!(result, Err(RecvTimeoutError::Disconnected)),
            at,
        );
        result
    }

    /// Messages until every sender is gone.
    #[track_caller]
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            receiver: self,
            at: Location::caller(),
        }
    }

    /// Messages already waiting, without blocking.
    #[track_caller]
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter {
            receiver: self,
            at: Location::caller(),
        }
    }

    fn recv_at(&self, at: &'static Location<'static>) -> Result<T, RecvError> {
        trace::event(
            Op::Recv {
                obj: self.channel.id,
            },
            Some(at),
        );
        let result = self.channel.recv(None).map_err(|_| RecvError);
        // A blocking receive gives up only when the channel is closed.
        self.received(&result, result.is_err(), at);
        result
    }

    fn try_recv_at(&self, at: &'static Location<'static>) -> Result<T, TryRecvError> {
        let result = self.channel.try_recv();
        self.received(
            &result,
            matches!(result, Err(TryRecvError::Disconnected)),
            at,
        );
        result
    }

    fn received<V, E>(&self, result: &Result<V, E>, closed: bool, at: &'static Location<'static>) {
        trace::event(
            Op::Received {
                obj: self.channel.id,
                ok: result.is_ok(),
                closed,
            },
            Some(at),
        );
    }
}

/// Where an iterator's receive happened: the line that called `next`, if it is in the file that made the
/// iterator (a `while let Some(m) = it.next()`), else the line that made it (a `for` loop, or an adapter such as
/// `collect` calling `next` from inside the standard library, whose lines mean nothing to the learner).
fn next_at(
    made_at: &'static Location<'static>,
    caller: &'static Location<'static>,
) -> &'static Location<'static> {
    if caller.file() == made_at.file() {
        caller
    } else {
        made_at
    }
}

/// The iterator of [`Receiver::iter`]: blocks for each message, ends when the channel is closed.
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
    at: &'static Location<'static>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.receiver
            .recv_at(next_at(self.at, Location::caller()))
            .ok()
    }
}

/// The iterator of [`Receiver::try_iter`]: the messages waiting now; ends at the first empty moment.
pub struct TryIter<'a, T> {
    receiver: &'a Receiver<T>,
    at: &'static Location<'static>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.receiver
            .try_recv_at(next_at(self.at, Location::caller()))
            .ok()
    }
}

pub struct IntoIter<T> {
    receiver: Receiver<T>,
    at: &'static Location<'static>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.receiver
            .recv_at(next_at(self.at, Location::caller()))
            .ok()
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    #[track_caller]
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    #[track_caller]
    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            receiver: self,
            at: Location::caller(),
        }
    }
}

macro_rules! sender_lifecycle {
    ($sender:ident) => {
        impl<T> Clone for $sender<T> {
            fn clone(&self) -> Self {
                self.channel.lock().senders += 1;
                $sender {
                    channel: self.channel.clone(),
                }
            }
        }

        impl<T> Drop for $sender<T> {
            fn drop(&mut self) {
                self.channel.lock().senders -= 1;
                self.channel.changed.notify_all();
            }
        }
    };
}

sender_lifecycle!(Sender);
sender_lifecycle!(SyncSender);

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.channel.lock().receiver_alive = false;
        self.channel.changed.notify_all();
    }
}
