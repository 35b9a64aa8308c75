//! Runs a kernel compiled for the widest vector instructions the CPU has.
//!
//! The crate is built for the target's baseline (plain SSE2 on x86-64), where the
//! compiler cannot vectorise 64-bit compares or unsigned minimums. A kernel passed to
//! [`run`] is compiled a second time inside a function that enables AVX2 and its
//! companions (the x86-64-v3 level), and that copy runs when the CPU reports them.
//! Both copies come from the same source, so they compute the same bits; the tests
//! run each kernel through both ([`Isa::Baseline`] and [`Isa::Best`]).
//!
//! A kernel is a [`Kernel`] whose `run` is `#[inline(always)]`, as is everything its
//! hot loops call: target features reach only what is inlined into the enabling
//! function (a closure would not do: it cannot be marked so on stable Rust, and a
//! large one is not inlined). Without `std` (no runtime detection) or off x86-64,
//! [`run`] simply runs the kernel.

/// Which compiled copy of a kernel to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Isa {
    /// The copy for the target's baseline instruction set.
    #[cfg_attr(not(test), allow(dead_code))]
    Baseline,
    /// The widest copy the CPU supports.
    Best,
}

/// A loop to compile once per instruction set.
pub(crate) trait Kernel {
    type Output;
    /// The work; implementations must be `#[inline(always)]`.
    fn run(self) -> Self::Output;
}

/// Runs `kernel` as `isa` says.
#[inline(always)]
pub(crate) fn run<K: Kernel>(isa: Isa, kernel: K) -> K::Output {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if isa == Isa::Best && has_x86_64_v3() {
        // SAFETY: the CPU supports every feature `with_x86_64_v3` enables (checked at
        // run time just above), which is the only requirement of calling it.
        return unsafe { with_x86_64_v3(kernel) };
    }
    let _ = isa;
    kernel.run()
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
fn has_x86_64_v3() -> bool {
    // Each macro caches its answer: a load and a test after the first call.
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("fma")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("popcnt")
}

/// Calls `kernel` with x86-64-v3's features enabled; what it inlines is compiled for
/// them.
///
/// # Safety
/// The CPU must support every feature listed in the attribute.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[target_feature(enable = "avx2,bmi1,bmi2,fma,lzcnt,popcnt")]
unsafe fn with_x86_64_v3<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
}
