// connection_pool — semaphore (세마포어)
//
// EN: A pool lends out `size` database connections. A counting semaphore holds one permit per connection:
//     `get()` waits for a permit, then takes a free connection; dropping the `PooledConnection` puts it back
//     and signals. Two bugs. (1) The semaphore starts with 1 permit whatever the size, so the pool works like a
//     mutex: one client at a time. (2) `query()` takes a permit by hand, and when the statement is refused the
//     `?` returns early: the permit and the connection are never given back, and after a few errors every
//     client waits forever. Make up to `size` clients hold a connection at once, never more, and make every
//     path give back what it took (hint: `get()` already returns a guard). `Semaphore` is given and correct.
//     Keep `Pool::new(size)`, `get`, `query`, `PooledConnection` (derefs to `Connection`) and `DbError`.
//
// KO: 풀이 데이터베이스 연결 `size`개를 빌려줍니다. 카운팅 세마포어가 연결마다 허가를 하나씩 가집니다. `get()`은
//     허가를 기다린 뒤 빈 연결을 가져가고, `PooledConnection`을 drop하면 연결을 돌려놓고 signal합니다. 버그가 둘
//     있습니다. (1) 세마포어가 크기와 상관없이 허가 1개로 시작해서, 풀이 뮤텍스처럼 한 번에 한 클라이언트만
//     받습니다. (2) `query()`는 허가를 손으로 가져가는데, 문장이 거절되면 `?`가 일찍 반환합니다. 허가도 연결도
//     돌아오지 않고, 오류가 몇 번 나면 모든 클라이언트가 영원히 기다립니다. 최대 `size`개 클라이언트가 동시에 연결을
//     가질 수 있되 그보다 많지는 않게, 그리고 모든 경로에서 가져간 것을 돌려주게 고치세요 (힌트: `get()`은 이미
//     가드를 돌려줍니다). `Semaphore`는 주어진 그대로 올바릅니다. `Pool::new(size)`, `get`, `query`,
//     `PooledConnection`(`Connection`으로 역참조됨), `DbError`는 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin connection_pool`. The checker tries every interleaving that
// matters.
// 직접 실행해 보기: `cargo run -p exercises --bin connection_pool`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::ops::Deref;

/// A counting semaphore (as in `implement_the_semaphore`). Correct: do not change it.
pub struct Semaphore {
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    pub fn wait(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    pub fn signal(&self) {
        *self.permits.lock().unwrap() += 1;
        self.available.notify_one();
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DbError {
    Refused(String),
}

/// One database connection: one client at a time.
pub struct Connection {
    id: usize,
}

impl Connection {
    /// Runs one statement. This database refuses anything that starts with `DROP`.
    pub fn execute(&self, sql: &str) -> Result<String, DbError> {
        if sql.starts_with("DROP") {
            Err(DbError::Refused(sql.to_string()))
        } else {
            Ok(format!("connection {}: ok ({sql})", self.id))
        }
    }
}

pub struct Pool {
    /// One permit per connection that is free right now.
    permits: Semaphore,
    /// The connections nobody is using.
    free: Mutex<Vec<Connection>>,
}

/// A connection borrowed from the pool. Dropping it gives it back.
pub struct PooledConnection<'a> {
    pool: &'a Pool,
    connection: Option<Connection>,
}

impl Deref for PooledConnection<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.connection.as_ref().expect("held until dropped")
    }
}

impl Drop for PooledConnection<'_> {
    fn drop(&mut self) {
        let connection = self.connection.take().expect("held until dropped");
        // Put the connection back first, then hand out the permit for it.
        self.pool.free.lock().unwrap().push(connection);
        self.pool.permits.signal();
    }
}

impl Pool {
    pub fn new(size: usize) -> Self {
        Pool {
            // A counting semaphore: one permit per connection. Starting at 1 would make the pool a mutex.
            permits: Semaphore::new(size),
            free: Mutex::new((0..size).map(|id| Connection { id }).collect()),
        }
    }

    /// Borrows a connection, waiting while all of them are in use.
    pub fn get(&self) -> PooledConnection<'_> {
        self.permits.wait();
        let connection = self.free.lock().unwrap().pop();
        PooledConnection {
            pool: self,
            connection: Some(connection.expect("a permit means a connection is free")),
        }
    }

    /// Runs one statement on a free connection.
    pub fn query(&self, sql: &str) -> Result<String, DbError> {
        // The guard gives the connection and the permit back when it is dropped: at the end of this
        // statement, whether `execute` succeeded or not.
        self.get().execute(sql)
    }
}

fn main() {
    let pool = Arc::new(Pool::new(3));
    let clients: Vec<_> = (0..6)
        .map(|i| {
            let pool = pool.clone();
            thread::spawn(move || {
                let sql = if i % 2 == 0 {
                    "DROP TABLE users"
                } else {
                    "SELECT 1"
                };
                println!("client {i}: {:?}", pool.query(sql));
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
}
