//! Runs a kernel compiled for the widest vector instructions the CPU has.
//!
//! The crate is built for the target's baseline (plain SSE2 on x86-64), where the
//! compiler cannot vectorise 64-bit compares or unsigned minimums. A kernel passed to
//! [`run`] is compiled twice more, inside functions that enable AVX2 and its
//! companions (the x86-64-v3 level) and those plus AVX-512 (x86-64-v4, whose 64-bit
//! lane multiplies and conversions the u64 steps need), and the widest copy the CPU
//! reports runs. All copies come from the same source, so they compute the same bits;
//! the tests run each kernel through the baseline copy and the widest one
//! ([`Isa::Baseline`] and [`Isa::Best`]).
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
    if isa == Isa::Best {
        match level() {
            Level::V4 => {
                // SAFETY: the CPU supports every feature `with_x86_64_v4` enables
                // (checked by `level`), which is the only requirement of calling it.
                return unsafe { with_x86_64_v4(kernel) };
            }
            Level::V3 => {
                // SAFETY: the CPU supports every feature `with_x86_64_v3` enables
                // (checked by `level`), which is the only requirement of calling it.
                return unsafe { with_x86_64_v3(kernel) };
            }
            Level::Baseline => {}
        }
    }
    let _ = isa;
    kernel.run()
}

/// The widest instruction set level the CPU has.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[derive(Clone, Copy)]
enum Level {
    Baseline,
    V3,
    V4,
}

/// The CPU's [`Level`], detected once: the kernels run once per row, and the
/// detection macros test a cached word per feature, eleven of them.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
fn level() -> Level {
    static LEVEL: std::sync::OnceLock<Level> = std::sync::OnceLock::new();
    *LEVEL.get_or_init(|| {
        if has_x86_64_v4() {
            Level::V4
        } else if has_x86_64_v3() {
            Level::V3
        } else {
            Level::Baseline
        }
    })
}

/// Whether the CPU has the x86-64-v4 level (AVX-512 F and its companions), which the
/// hand-written kernels (`wide` modules) need; they are built only with `std` (for
/// the run-time detection) on x86-64.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
pub(crate) fn has_avx512() -> bool {
    matches!(level(), Level::V4)
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

/// x86-64-v4: v3 and AVX-512 (F, BW, CD, DQ, VL), whose 64-bit lane multiplies and
/// integer-to-float conversions the kernels' u64 steps use.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[inline(always)]
fn has_x86_64_v4() -> bool {
    has_x86_64_v3()
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512cd")
        && std::is_x86_feature_detected!("avx512dq")
        && std::is_x86_feature_detected!("avx512vl")
}

/// Calls `kernel` with x86-64-v4's features enabled; what it inlines is compiled for
/// them.
///
/// # Safety
/// The CPU must support every feature listed in the attribute.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[target_feature(
    enable = "avx2,bmi1,bmi2,fma,lzcnt,popcnt,avx512f,avx512bw,avx512cd,avx512dq,avx512vl"
)]
unsafe fn with_x86_64_v4<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
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
