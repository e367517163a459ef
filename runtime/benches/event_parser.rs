//! How long the runtime's `text/event-stream` parser takes for one long line,
//! fed in 64 KiB chunks as a socket would hand it over. Linear parsing keeps
//! the time per MiB flat as the line grows (`eventsource-stream` 0.2, which
//! the runtime used before, took 52 s for 16 MiB and did not finish 256 MiB).
//!
//! `cargo bench -p apigen-runtime --bench event_parser` (`-- 16 64 256` for other sizes in MiB).

use std::time::Instant;

use apigen_runtime::EventParser;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|arg| arg.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![16, 64, 256] } else { sizes };
    let chunk = vec![b'a'; 64 << 10];
    for mib in sizes {
        let mut parser = EventParser::new(usize::MAX);
        let mut events = Vec::new();
        let started = Instant::now();
        parser.push(b"data: ", &mut events).unwrap();
        for _ in 0..(mib << 20) / chunk.len() {
            parser.push(&chunk, &mut events).unwrap();
        }
        parser.push(b"\n\n", &mut events).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(events[0].data.len(), mib << 20);
        println!("{mib} MiB line: {:.3} s, {:.0} MiB/s", elapsed.as_secs_f64(), mib as f64 / elapsed.as_secs_f64());
    }
}
