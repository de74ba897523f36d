//! Work spread over every core, with results in input order.
//!
//! Opening a large corpus does three things to every version or clause —
//! parse it, match it against the matrix rules, flag its frameworks — and
//! each is independent of the others, so they run on all cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items handed to a thread at a time: small enough to balance uneven work
/// (a PDF beside a page of Markdown), large enough that the hand-out costs
/// nothing.
const BATCH: usize = 16;

/// `f` of every item, computed on every core; the results in input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().div_ceil(BATCH));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let start = next.fetch_add(BATCH, Ordering::Relaxed);
                        if start >= items.len() {
                            return out;
                        }
                        let batch = &items[start..(start + BATCH).min(items.len())];
                        out.push((start, batch.iter().map(&f).collect()));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker thread panicked"))
            .collect()
    });
    done.sort_unstable_by_key(|(start, _)| *start);
    done.into_iter().flat_map(|(_, rs)| rs).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_sizes() {
        for n in [0, 1, 15, 16, 17, 1000, 1003] {
            let items: Vec<u64> = (0..n).collect();
            assert_eq!(
                map(&items, |x| x * 2),
                items.iter().map(|x| x * 2).collect::<Vec<_>>()
            );
        }
    }
}
