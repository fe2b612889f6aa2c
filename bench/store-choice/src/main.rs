//! A small measurement for issue 16's choice of store: 100,000 rows of about 600 bytes
//! (an article's index entry), written in batches of 500 (one transaction each), then a
//! fresh process's costs: open and read one row (an idle run), read 1,000 rows by key
//! (one new article's neighbourhood), scan 2,000 rows by a secondary key (one day's events).
use std::time::Instant;

use redb::ReadableDatabase;

const N: u64 = 100_000;
const BATCH: u64 = 500;

fn value(n: u64) -> Vec<u8> {
    (0..600).map(|i| ((n * 31 + i) % 251) as u8).collect()
}

fn key(n: u64) -> String {
    format!("synth_{:06}", (n * 7919) % N)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn sqlite(dir: &std::path::Path, phase: &str) {
    let path = dir.join("store.sqlite");
    let t = Instant::now();
    let mut db = rusqlite::Connection::open(&path).unwrap();
    db.pragma_update(None, "journal_mode", "WAL").unwrap();
    db.pragma_update(None, "synchronous", "NORMAL").unwrap();
    if phase == "write" {
        db.execute_batch("CREATE TABLE IF NOT EXISTS a (id TEXT PRIMARY KEY, day INTEGER, v BLOB) WITHOUT ROWID; CREATE INDEX IF NOT EXISTS a_day ON a(day);").unwrap();
        for b in 0..N / BATCH {
            let tx = db.transaction().unwrap();
            {
                let mut st = tx.prepare_cached("INSERT OR REPLACE INTO a VALUES (?1, ?2, ?3)").unwrap();
                for n in b * BATCH..(b + 1) * BATCH {
                    st.execute(rusqlite::params![key(n), (n % 50) as i64, value(n)]).unwrap();
                }
            }
            tx.commit().unwrap();
        }
        println!("sqlite  write 100k in 200 txns: {:.0} ms", ms(t));
        return;
    }
    let one: Vec<u8> = db.query_row("SELECT v FROM a WHERE id = ?1", [key(5)], |r| r.get(0)).unwrap();
    println!("sqlite  open + one row: {:.2} ms ({} B)", ms(t), one.len());
    let t = Instant::now();
    let mut st = db.prepare_cached("SELECT v FROM a WHERE id = ?1").unwrap();
    let mut total = 0;
    for n in 0..1000 {
        let v: Vec<u8> = st.query_row([key(n * 97)], |r| r.get(0)).unwrap();
        total += v.len();
    }
    println!("sqlite  1,000 rows by key: {:.1} ms ({total} B)", ms(t));
    let t = Instant::now();
    let mut st = db.prepare("SELECT v FROM a WHERE day = 7").unwrap();
    let rows: Vec<Vec<u8>> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    println!("sqlite  2,000 rows by a secondary key: {:.1} ms ({} rows)", ms(t), rows.len());
}

const TABLE: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("a");
const BY_DAY: redb::MultimapTableDefinition<u64, &str> = redb::MultimapTableDefinition::new("a_day");

fn redb_run(dir: &std::path::Path, phase: &str) {
    let path = dir.join("store.redb");
    let t = Instant::now();
    if phase == "write" {
        let db = redb::Database::create(&path).unwrap();
        for b in 0..N / BATCH {
            let tx = db.begin_write().unwrap();
            {
                let mut table = tx.open_table(TABLE).unwrap();
                let mut days = tx.open_multimap_table(BY_DAY).unwrap();
                for n in b * BATCH..(b + 1) * BATCH {
                    table.insert(key(n).as_str(), value(n).as_slice()).unwrap();
                    days.insert(n % 50, key(n).as_str()).unwrap();
                }
            }
            tx.commit().unwrap();
        }
        println!("redb    write 100k in 200 txns: {:.0} ms", ms(t));
        return;
    }
    let db = redb::Database::open(&path).unwrap();
    let tx = db.begin_read().unwrap();
    let table = tx.open_table(TABLE).unwrap();
    let one = table.get(key(5).as_str()).unwrap().unwrap().value().len();
    println!("redb    open + one row: {:.2} ms ({one} B)", ms(t));
    let t = Instant::now();
    let mut total = 0;
    for n in 0..1000 {
        total += table.get(key(n * 97).as_str()).unwrap().unwrap().value().len();
    }
    println!("redb    1,000 rows by key: {:.1} ms ({total} B)", ms(t));
    let t = Instant::now();
    let days = tx.open_multimap_table(BY_DAY).unwrap();
    let mut rows = 0;
    for id in days.get(7).unwrap() {
        let id = id.unwrap();
        rows += usize::from(table.get(id.value()).unwrap().is_some());
    }
    println!("redb    2,000 rows by a secondary key: {:.1} ms ({rows} rows)", ms(t));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new(&args[2]);
    match args[1].as_str() {
        "sqlite" => sqlite(dir, &args[3]),
        _ => redb_run(dir, &args[3]),
    }
}
