//! Opaque handles with a registry of the live ones, so that a double free or a freed
//! handle passed back in is reported as `InvalidHandle` instead of touching freed memory.

use std::any::TypeId;
use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::boundary::Failure;
use crate::status::TaoliteStatus;

/// Addresses of live handles, with the type each was created as.
static LIVE: Mutex<BTreeSet<(usize, TypeId)>> = Mutex::new(BTreeSet::new());

fn live() -> std::sync::MutexGuard<'static, BTreeSet<(usize, TypeId)>> {
    // A panic while holding the lock cannot leave the set inconsistent (each operation
    // is a single insert or remove), so a poisoned lock is safe to reuse.
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn invalid(what: &str) -> Failure {
    Failure::new(
        TaoliteStatus::InvalidHandle,
        format!("{what} is NULL, already freed, or not a handle of this kind"),
    )
}

/// Moves `value` to the heap and returns the raw handle for C.
pub(crate) fn create<T: 'static>(value: T) -> *mut T {
    let ptr = Box::into_raw(Box::new(value));
    live().insert((ptr as usize, TypeId::of::<T>()));
    ptr
}

/// Borrows a live handle.
///
/// # Safety
/// A pointer found in the registry was created by [`create`] for this `T` and not yet
/// released, so it points to a live `T`. The borrow must not outlive the C call.
pub(crate) unsafe fn borrow<'a, T: 'static>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    if ptr.is_null() || !live().contains(&(ptr as usize, TypeId::of::<T>())) {
        return Err(invalid(what));
    }
    // SAFETY: registered, hence created by `create::<T>` and not yet released.
    Ok(unsafe { &*ptr })
}

/// Releases a handle; NULL is a no-op, an unknown or already freed pointer is an error.
///
/// # Safety
/// As for [`borrow`]; the caller must not use the handle afterwards.
pub(crate) unsafe fn release<T: 'static>(ptr: *mut T, what: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        return Ok(());
    }
    if !live().remove(&(ptr as usize, TypeId::of::<T>())) {
        return Err(invalid(what));
    }
    // SAFETY: it was registered, so it came from `Box::into_raw` in `create::<T>`, and
    // removing it from the registry makes this the only release.
    drop(unsafe { Box::from_raw(ptr) });
    Ok(())
}
