//! The one place tenantry draws randomness: the operating system's CSPRNG.
//!
//! Identifiers (record and message ids) draw its bytes through a small per-thread pool
//! ([`id_bytes`]): the only thing the core keeps between calls, and no application state (no
//! result depends on it beyond which random bytes an id gets).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::{Error, ErrorCode, Result};

/// Fills `buf` with bytes from the OS CSPRNG.
///
/// ```
/// let mut key = [0u8; 32];
/// tenantry::random::fill(&mut key).unwrap();
/// ```
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::new(ErrorCode::InvalidInput, format!("the OS random number generator failed: {e}"))
    })
}

/// Returns `N` bytes from the OS CSPRNG.
///
/// ```
/// let a: [u8; 16] = tenantry::random::bytes().unwrap();
/// let b: [u8; 16] = tenantry::random::bytes().unwrap();
/// assert_ne!(a, b);
/// ```
pub fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// Unused OS random bytes kept per thread for [`id_bytes`].
const ID_POOL: usize = 256;

/// The pool of one thread: its bytes, how many are used, and the process that drew them.
struct IdPool {
    pid: u32,
    bytes: [u8; ID_POOL],
    next: usize,
}

thread_local! {
    static ID_POOL_OF_THREAD: std::cell::RefCell<IdPool> =
        const { std::cell::RefCell::new(IdPool { pid: 0, bytes: [0; ID_POOL], next: ID_POOL }) };
}

/// Set by [`rely_on_fork_hook`]: forked children call [`after_fork`], so [`id_bytes`] need not
/// compare process ids.
static FORK_HOOK: AtomicBool = AtomicBool::new(false);

/// Declares that the embedding runtime calls [`after_fork`] in every child process it forks
/// (CPython does for hooks given to `os.register_at_fork`, which is how its own `random` module
/// reseeds; a native library can register one with `pthread_atfork`), so [`id_bytes`] stops
/// asking the OS for the process id on each call (a system call, ~3% of building a sealed audit
/// record). Without it, the default, every call compares the process id with the one that
/// filled the pool.
///
/// ```
/// // In a runtime whose fork hook calls `tenantry::random::after_fork()` in the child:
/// tenantry::random::rely_on_fork_hook();
/// let id: [u8; 10] = tenantry::random::id_bytes()?;
/// # assert_ne!(id, [0; 10]);
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn rely_on_fork_hook() {
    FORK_HOOK.store(true, Ordering::Relaxed);
}

/// Forgets the unused id bytes of the calling thread, wiping them: for the child side of a fork
/// hook (see [`rely_on_fork_hook`]). A forked child keeps only the thread that forked, so its
/// next id draws fresh bytes instead of the ones its parent will hand out.
///
/// ```
/// let before: [u8; 10] = tenantry::random::id_bytes()?;
/// tenantry::random::after_fork();
/// let after: [u8; 10] = tenantry::random::id_bytes()?;
/// assert_ne!(before, after);
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn after_fork() {
    let _ = ID_POOL_OF_THREAD.try_with(|cell| {
        if let Ok(mut pool) = cell.try_borrow_mut() {
            pool.bytes.fill(0);
            pool.next = ID_POOL;
        }
    });
}

/// Returns `N` bytes from the OS CSPRNG for an identifier (record and message ids), drawn through
/// a per-thread pool of 256 bytes, so most ids cost no system call (a `getrandom` call costs
/// ~0.25 µs, most of what an id takes).
///
/// Only for identifiers, which must be unique but are not secret: keys and tokens come from
/// [`fill`], because the pool keeps unused random bytes in memory. The pool belongs to the
/// process that filled it: a forked child (a pre-fork server's worker) would otherwise draw the
/// same bytes as its parent, so a changed process id refills it first (or, where the runtime has
/// a fork hook, [`after_fork`] empties it: see [`rely_on_fork_hook`]). Bytes are wiped from the
/// pool as they are handed out.
///
/// ```
/// let a: [u8; 10] = tenantry::random::id_bytes().unwrap();
/// let b: [u8; 10] = tenantry::random::id_bytes().unwrap();
/// assert_ne!(a, b);
/// ```
pub fn id_bytes<const N: usize>() -> Result<[u8; N]> {
    if N > ID_POOL {
        return bytes();
    }
    let drawn = ID_POOL_OF_THREAD.try_with(|cell| {
        let Ok(mut pool) = cell.try_borrow_mut() else { return bytes() };
        let forked = !FORK_HOOK.load(Ordering::Relaxed) && pool.pid != std::process::id();
        if forked || pool.next + N > ID_POOL {
            fill(&mut pool.bytes)?;
            pool.pid = std::process::id();
            pool.next = 0;
        }
        let mut out = [0u8; N];
        let start = pool.next;
        if let Some(taken) = pool.bytes.get_mut(start..start + N) {
            out.copy_from_slice(taken);
            taken.fill(0);
        }
        pool.next = start + N;
        Ok(out)
    });
    // The thread is exiting (its pool is gone): straight from the OS.
    drawn.unwrap_or_else(|_| bytes())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn id_bytes_are_distinct_across_refills_and_threads() {
        let mut seen = HashSet::new();
        for _ in 0..1000 {
            assert!(seen.insert(super::id_bytes::<10>().unwrap()));
        }
        let others: Vec<[u8; 10]> =
            std::thread::spawn(|| (0..100).map(|_| super::id_bytes().unwrap()).collect()).join().unwrap();
        for id in others {
            assert!(seen.insert(id));
        }
        let big: [u8; 300] = super::id_bytes().unwrap();
        assert_ne!(big, [0; 300]);
    }

    #[test]
    fn after_fork_wipes_and_empties_the_pool() -> crate::Result<()> {
        let _: [u8; 10] = super::id_bytes()?;
        super::after_fork();
        super::ID_POOL_OF_THREAD.with(|cell| {
            let pool = cell.borrow();
            assert_eq!(pool.next, super::ID_POOL);
            assert!(pool.bytes.iter().all(|b| *b == 0));
        });
        let _: [u8; 10] = super::id_bytes()?;
        super::ID_POOL_OF_THREAD.with(|cell| assert_eq!(cell.borrow().next, 10));
        Ok(())
    }
}
