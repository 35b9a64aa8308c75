//! The production (sparse) epoch, stage by stage as in spec §4.
//!
//! Cost grows with the number of stored entries plus `n log n`: nothing here builds an
//! `n × n` structure. The masked and normalised weights are never materialised: each
//! entry is recomputed from the stored u16 when a stage needs it (a mask predicate and
//! one division), so the largest allocation is the EMA bonds matrix.

use alloc::vec;
use alloc::vec::Vec;
use core::mem;
use taolite_core::fixed::{safe_div, I32F32, I64F64, U96F32};

use crate::aligned_ema::AlignedEma;
use crate::aligned_yuma::{stored_bond_sums, YumaClip, YumaEma};
use crate::arith::{
    emission_share, mul, normalize_64, normalize_fast as normalize, proportion_to_u16,
    u16_proportion, wrapping_sum, Divisor, ExactDivisor, RowDivisor,
};
use crate::consensus::weighted_median_columns;
use crate::cpu::{self, Isa, Kernel};
use crate::dividends::DividendColumns;
use crate::error::EpochError;
use crate::input::EpochInput;
use crate::liquid_alpha::LiquidAlpha;
use crate::narrow_columns;
use crate::output::{EpochOutput, NeuronTerms};
use crate::proportion::proportion;
use crate::rows::{Csr, CsrBuffers, NarrowRowToU16, RowScratch};
use crate::scratch::EpochScratch;
use crate::sparse::SparseRows;
use crate::split::{self, Split, Splitting};
use crate::spread::Spread;
use crate::trace::Trace;

/// Runs the chain's production epoch on `input`.
///
/// Accepts everything chain storage can hold; fails only on inputs storage can never
/// produce (per-uid vectors of a length other than `n`, broken sparse layouts).
pub fn epoch(input: &EpochInput) -> Result<EpochOutput, EpochError> {
    run(input, None, Splitting::Auto, None)
}

/// [`epoch`] building its large arrays in `scratch`'s and leaving them there for the
/// next call (see [`crate::EpochScratch`]).
pub(crate) fn epoch_reusing(
    input: &EpochInput,
    scratch: &mut EpochScratch,
) -> Result<EpochOutput, EpochError> {
    run(input, None, Splitting::Auto, Some(scratch))
}

/// [`epoch`] with every stage that runs in parts (threads with the feature `parallel`)
/// cut into exactly `parts` parts, whatever the input's size: a test oracle, since the
/// output must never depend on the parts.
#[cfg(feature = "naive")]
pub fn epoch_in_parts(input: &EpochInput, parts: usize) -> Result<EpochOutput, EpochError> {
    run(input, None, Splitting::Fixed(parts), None)
}

/// Runs the epoch and also returns its intermediate vectors, to locate a divergence.
pub fn epoch_with_trace(input: &EpochInput) -> Result<(EpochOutput, Trace), EpochError> {
    let mut trace = Trace::default();
    let output = run(input, Some(&mut trace), Splitting::Auto, None)?;
    Ok((output, trace))
}

fn check_len(field: &'static str, actual: usize, n: usize) -> Result<(), EpochError> {
    if actual == n {
        Ok(())
    } else {
        Err(EpochError::LengthMismatch {
            field,
            expected: n,
            actual,
        })
    }
}

fn validate(input: &EpochInput) -> Result<(), EpochError> {
    let n = usize::from(input.n);
    check_len("has_hotkey", input.has_hotkey.len(), n)?;
    check_len(
        "block_at_registration",
        input.block_at_registration.len(),
        n,
    )?;
    check_len("alpha_stake", input.alpha_stake.len(), n)?;
    check_len("tao_stake", input.tao_stake.len(), n)?;
    if !input.weights.is_valid() {
        return Err(EpochError::InvalidSparseLayout { field: "weights" });
    }
    if !input.bonds.is_valid() {
        return Err(EpochError::InvalidSparseLayout { field: "bonds" });
    }
    Ok(())
}

fn bits32(v: &[I32F32]) -> Vec<i64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Masks `values` with `mask` as the chain's `inplace_mask_vector` does: an empty mask
/// masks nothing; otherwise positions where the mask is true or missing are zeroed.
fn mask_vector(mask: impl Fn(usize) -> Option<bool>, mask_is_empty: bool, values: &mut [I32F32]) {
    if mask_is_empty {
        return;
    }
    for (i, v) in values.iter_mut().enumerate() {
        if mask(i).unwrap_or(true) {
            *v = I32F32::ZERO;
        }
    }
}

/// `is_topk_nonzero`: permits for the `k` largest non-zero stakes; ties go to the
/// higher uid (a stable ascending sort drops the lower uids first).
fn top_k_nonzero(stake: &[I32F32], k: usize) -> Vec<bool> {
    let n = stake.len();
    let mut permit: Vec<bool> = stake.iter().map(|s| *s != I32F32::ZERO).collect();
    if n < k {
        return permit;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| stake.get(i).copied().unwrap_or(I32F32::ZERO));
    for &i in order.iter().take(n.saturating_sub(k)) {
        if let Some(p) = permit.get_mut(i) {
            *p = false;
        }
    }
    permit
}

/// Per uid, the earliest commit block of an unexpired commit (spec §6); `u64::MAX` for none.
fn commit_blocks(input: &EpochInput, n: usize) -> Vec<u64> {
    let mut blocks = vec![u64::MAX; n];
    let expired = |e: u64| input.current_epoch_index > e.saturating_add(input.reveal_period);
    for queue in &input.v2_commits {
        let first_live = queue.commits.iter().find(|(epoch, _)| !expired(*epoch));
        if let (Some(uid), Some((_, block))) = (queue.uid, first_live) {
            if let Some(c) = blocks.get_mut(usize::from(uid)) {
                *c = (*c).min(*block);
            }
        }
    }
    for list in &input.v4_commits {
        if expired(list.commit_epoch) {
            continue;
        }
        for (uid, block) in &list.commits {
            if let Some(c) = uid.and_then(|u| blocks.get_mut(usize::from(u))) {
                *c = (*c).min(*block);
            }
        }
    }
    blocks
}

/// Marks a stored weight entry that a mask removed, in [`Weights`]' value array.
/// Normalised values of the rows that use that array stay below `2^32 − 1`.
pub(crate) const MASKED: u32 = u32::MAX;

/// How the entries of one row of W are produced.
#[derive(Clone, Copy, Debug, PartialEq)]
enum RowForm {
    /// Every entry is masked away (no validator permit).
    Masked,
    /// The normalised values are precomputed in [`Weights`]' value array (the usual
    /// case: the row sum is exact and below 2^31, and no single entry carries it all);
    /// `ascending` when the surviving columns strictly ascend (no repeats), `aligned`
    /// when every stored column does (masked entries included).
    Stored { ascending: bool, aligned: bool },
    /// Recomputed when asked for: an entry towards `j` survives iff
    /// `registration[j] < limit`, and its value is divided by the wrapped row `sum`.
    Computed { limit: u64, sum: I32F32 },
}

/// The weights after every mask and the row normalisation (spec §4.6).
///
/// Each row's normalised values are computed once, as u32 bits aligned with the stored
/// entries (4 bytes per entry, [`MASKED`] for removed ones). Rows whose values would
/// not fit (a value of exactly 1, or a wrapped row sum) are recomputed on demand.
pub(crate) struct Weights<'a> {
    stored: &'a SparseRows<u16>,
    registration: &'a [u64],
    owner: Option<usize>,
    rows: Vec<RowForm>,
    values: Vec<u32>,
}

/// A precomputed row of W: the stored `(column, u16)` entries and, aligned with them,
/// the normalised values' bits ([`MASKED`] for removed entries).
pub(crate) type StoredRow<'r> = (&'r [(u16, u16)], &'r [u32]);

/// Whether a row whose stored columns strictly ascend (an aligned row) lists exactly
/// the columns of `columns` — as many, the first and the last the same — so that it
/// can be visited by position, without column lookups.
pub(crate) fn lists_columns<T>(entries: &[(u16, T)], columns: core::ops::Range<usize>) -> bool {
    entries.len() == columns.len()
        && entries
            .first()
            .is_none_or(|e| usize::from(e.0) == columns.start)
        && entries
            .last()
            .is_none_or(|e| usize::from(e.0) == columns.end.wrapping_sub(1))
}

/// Whether two rows list the same columns in the same order: one compare per entry
/// without an early exit, which vectorises.
pub(crate) fn same_columns<S, T>(a: &[(u16, S)], b: &[(u16, T)]) -> bool {
    same_columns_with(a, b, Isa::Best)
}

/// [`same_columns`] compiled for the instruction set `isa`.
fn same_columns_with<S, T>(a: &[(u16, S)], b: &[(u16, T)], isa: Isa) -> bool {
    a.len() == b.len() && cpu::run(isa, SameColumns(a, b))
}

/// The kernel of [`same_columns`], for rows of one length.
struct SameColumns<'r, S, T>(&'r [(u16, S)], &'r [(u16, T)]);

impl<S, T> Kernel for SameColumns<'_, S, T> {
    type Output = bool;

    #[inline(always)]
    fn run(self) -> bool {
        // In chunks whose columns are first gathered into flat arrays, as in
        // `Ascending` (strided pairs directly vectorise poorly).
        const CHUNK: usize = 64;
        let mut same = true;
        for (x, y) in self.0.chunks(CHUNK).zip(self.1.chunks(CHUNK)) {
            let (mut a, mut b) = ([0u16; CHUNK], [0u16; CHUNK]);
            for (c, e) in a.iter_mut().zip(x) {
                *c = e.0;
            }
            for (c, e) in b.iter_mut().zip(y) {
                *c = e.0;
            }
            same &= a.iter().zip(&b).fold(true, |ok, (p, q)| ok & (p == q));
        }
        same
    }
}

/// The entry range of row `i` in the flat entry array of `rows`.
fn row_range<T>(rows: &SparseRows<T>, i: usize) -> core::ops::Range<usize> {
    let offsets = rows.offsets();
    match (offsets.get(i), offsets.get(i.wrapping_add(1))) {
        (Some(&a), Some(&b)) if a <= b => a as usize..b as usize,
        _ => 0..0,
    }
}

/// Where row `i` starts in the flat entry array of `rows` (rows past the stored ones
/// start, empty, at its end). Never decreases in `i` for a valid layout.
fn row_start<T>(rows: &SparseRows<T>, i: usize) -> usize {
    let offsets = rows.offsets();
    offsets.get(i).or(offsets.last()).map_or(0, |&o| o as usize)
}

/// The masks of one row of W (spec §4.6).
#[derive(Clone, Copy)]
pub(crate) struct RowMasks<'m> {
    pub(crate) registration: &'m [u64],
    pub(crate) owner: Option<usize>,
    pub(crate) last_update: &'m [u64],
    pub(crate) commits: Option<&'m [u64]>,
}

impl RowMasks<'_> {
    /// Masks and normalises row `i`, whose stored entries are `entries`, into `slots`
    /// (aligned with them), and says how the row's values are read later.
    #[inline(always)]
    fn normalise(&self, i: usize, entries: &[(u16, u16)], slots: &mut [u32]) -> RowForm {
        let updated = self.last_update.get(i).copied().unwrap_or(0);
        let commit = self
            .commits
            .and_then(|c| c.get(i).copied())
            .unwrap_or(u64::MAX);
        // keep iff reg < updated and reg <= commit (= reg < commit + 1).
        let limit = updated.min(commit.saturating_add(1));
        let keep_diagonal = self.owner == Some(i);
        // The diagonal entry survives only for the owner: no column equals `masked_diagonal`.
        let masked_diagonal = if keep_diagonal { usize::MAX } else { i };
        let (sum, largest, aligned) =
            mask_row(entries, slots, self.registration, limit, masked_diagonal);
        // Surviving columns are a subsequence of the stored ones: they ascend when
        // those do, and otherwise are checked on their own.
        let ascending = aligned || {
            let mut previous = -1i32;
            let mut ascending = true;
            for (&(j, _), &slot) in entries.iter().zip(slots.iter()) {
                if slot != MASKED {
                    ascending &= i32::from(j) > previous;
                    previous = i32::from(j);
                }
            }
            ascending
        };
        // The chain's I32F32 sum wraps: (sum << 32) mod 2^64 either way.
        let wrapped = I32F32::from_bits(sum.wrapping_shl(32) as i64);
        if sum == 0 {
            // Only zero values survive; unnormalised they stay zero.
            RowForm::Stored { ascending, aligned }
        } else if let (Some(divisor), true) = (RowDivisor::new(sum), u64::from(largest) < sum) {
            for slot in slots.iter_mut() {
                let quotient = divisor.divide(*slot as u16) as u32;
                *slot = if *slot == MASKED { MASKED } else { quotient };
            }
            RowForm::Stored { ascending, aligned }
        } else {
            slots.fill(MASKED);
            RowForm::Computed {
                limit,
                sum: wrapped,
            }
        }
    }
}

/// [`RowMasks::normalise`] for each row in `rows` (`Masked` for a row without a
/// permit), whose slots are `slots` from entry `first_entry` on, as one [`Kernel`].
struct NormaliseRows<'k, 'm, P> {
    masks: &'k RowMasks<'m>,
    stored: &'k SparseRows<u16>,
    rows: core::ops::Range<usize>,
    permitted: &'k P,
    first_entry: usize,
    slots: &'k mut [u32],
}

impl<P: Fn(usize) -> bool> Kernel for NormaliseRows<'_, '_, P> {
    type Output = Vec<RowForm>;

    #[inline(always)]
    fn run(self) -> Vec<RowForm> {
        let mut forms = Vec::with_capacity(self.rows.len());
        let first = self.first_entry;
        for i in self.rows {
            let range = row_range(self.stored, i);
            let local = range.start.wrapping_sub(first)..range.end.wrapping_sub(first);
            let entries = self.stored.entries().get(range);
            let form = match ((self.permitted)(i), entries, self.slots.get_mut(local)) {
                (true, Some(entries), Some(slots)) => self.masks.normalise(i, entries, slots),
                (_, _, slots) => {
                    // Never read; written all the same, so that every slot of a row
                    // is written by this epoch (a reused array is not cleared).
                    if let Some(slots) = slots {
                        slots.fill(MASKED);
                    }
                    RowForm::Masked
                }
            };
            forms.push(form);
        }
        forms
    }
}

impl<'a> Weights<'a> {
    /// Masks and normalises every row, in parts of rows as `split` says.
    #[inline(never)]
    pub(crate) fn new(
        stored: &'a SparseRows<u16>,
        masks: RowMasks<'a>,
        permitted: impl Fn(usize) -> bool + Sync,
        split: Split,
        buffer: Vec<u32>,
    ) -> Self {
        let RowMasks {
            registration,
            owner,
            ..
        } = masks;
        let n = registration.len();
        // Every slot of every row is written below: a new array's zeros come from
        // the allocator without a fill, and a reused one is not cleared first (its
        // values of an earlier epoch are all overwritten).
        let nnz = stored.nnz();
        let mut values = buffer;
        if values.capacity() < nnz {
            values = vec![0u32; nnz];
        } else {
            values.truncate(nnz);
            values.resize(nnz, 0);
        }
        // Each part of rows gets the slots of its entries.
        let row_parts = split.ranges(n, |i| row_start(stored, i));
        let entry_parts: Vec<_> = row_parts
            .iter()
            .map(|rows| row_start(stored, rows.start)..row_start(stored, rows.end))
            .collect();
        let parts: Vec<_> = row_parts
            .into_iter()
            .zip(split::cut_mut(&mut values, &entry_parts))
            .collect();
        let forms = split::map(parts, |(rows, (first_entry, slots))| {
            let kernel = NormaliseRows {
                masks: &masks,
                stored,
                rows,
                permitted: &permitted,
                first_entry,
                slots,
            };
            cpu::run(Isa::Best, kernel)
        });
        Weights {
            stored,
            registration,
            owner,
            rows: forms.into_iter().flatten().collect(),
            values,
        }
    }

    /// The value array, to reuse.
    pub(crate) fn into_values(self) -> Vec<u32> {
        self.values
    }

    /// Whether the surviving columns of row `i` are known to strictly ascend.
    pub(crate) fn ascending(&self, i: usize) -> bool {
        matches!(
            self.rows.get(i),
            Some(RowForm::Stored {
                ascending: true,
                ..
            })
        )
    }

    /// Row `i`'s stored entries and precomputed values ([`MASKED`] for removed ones),
    /// when the row is precomputed and all its stored columns strictly ascend: a
    /// removed entry then acts as a weight of 0 in any column-ordered merge.
    pub(crate) fn aligned_row(&self, i: usize) -> Option<StoredRow<'_>> {
        if !matches!(
            self.rows.get(i),
            Some(RowForm::Stored { aligned: true, .. })
        ) {
            return None;
        }
        let range = row_range(self.stored, i);
        Some((
            self.stored.entries().get(range.clone())?,
            self.values.get(range)?,
        ))
    }

    /// Columns of the surviving entries of row `i`, in storage order.
    pub(crate) fn for_each_column(&self, i: usize, mut f: impl FnMut(usize)) {
        match self.rows.get(i) {
            Some(RowForm::Stored { .. }) => self.for_each_stored(i, |j, _| f(j)),
            Some(RowForm::Computed { limit, .. }) => self.for_each_raw(i, *limit, |j, _| f(j)),
            _ => {}
        }
    }

    /// Row `i`'s stored entries and precomputed values (masked ones marked
    /// [`MASKED`]), when the row is precomputed and its surviving columns ascend.
    pub(crate) fn ascending_stored_row(&self, i: usize) -> Option<StoredRow<'_>> {
        if !self.ascending(i) {
            return None;
        }
        let range = row_range(self.stored, i);
        Some((
            self.stored.entries().get(range.clone())?,
            self.values.get(range)?,
        ))
    }

    fn for_each_stored(&self, i: usize, mut f: impl FnMut(usize, u32)) {
        let range = row_range(self.stored, i);
        let (Some(entries), Some(values)) = (
            self.stored.entries().get(range.clone()),
            self.values.get(range),
        ) else {
            return;
        };
        for (&(j, _), &v) in entries.iter().zip(values) {
            if v != MASKED {
                f(usize::from(j), v);
            }
        }
    }

    /// Surviving entries of a [`RowForm::Computed`] row with their stored values.
    fn for_each_raw(&self, i: usize, limit: u64, mut f: impl FnMut(usize, I32F32)) {
        let keep_diagonal = self.owner == Some(i);
        for &(j, w) in self.stored.row(i) {
            let j = usize::from(j);
            let Some(&registered) = self.registration.get(j) else {
                continue;
            };
            if registered >= limit || (j == i && !keep_diagonal) {
                continue;
            }
            f(j, I32F32::from_bits(i64::from(w) << 32));
        }
    }

    /// Entries of row `i` of W (normalised), in storage order.
    #[inline]
    pub(crate) fn for_each(&self, i: usize, mut f: impl FnMut(usize, I32F32)) {
        match self.rows.get(i) {
            Some(RowForm::Stored { .. }) => {
                self.for_each_stored(i, |j, v| f(j, I32F32::from_bits(i64::from(v))))
            }
            Some(&RowForm::Computed { limit, sum }) => {
                if sum > I32F32::ZERO {
                    let divisor = Divisor::new(sum);
                    self.for_each_raw(i, limit, |j, w| f(j, divisor.divide(w)));
                } else {
                    self.for_each_raw(i, limit, f);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn n(&self) -> usize {
        self.registration.len()
    }
}

/// The weight for bonds (spec §4.10): `w + p·(b − w)` for the clipped weight `b`
/// (0 when clipping drops `w`), saturating like the chain.
#[inline(always)]
fn weight_for_bonds(w: I32F32, clipped: I32F32, penalty: I32F32) -> I32F32 {
    w.saturating_add(mul(penalty, clipped.saturating_sub(w)))
}

/// The masks of one stored row (spec §4.6): writes each entry's raw value to its slot
/// if it survives, [`MASKED`] if not, and returns the survivors' exact sum (at most
/// 65535 per entry and 2^32 entries: no overflow in u64), the largest survivor and
/// whether the stored columns strictly ascend. No data-dependent branch: masks vary
/// entry by entry. A row of n entries is first taken as the full row `0..n`, reading
/// the registrations by position, and redone by column if it is not.
#[inline(always)]
fn mask_row(
    entries: &[(u16, u16)],
    slots: &mut [u32],
    registration: &[u64],
    limit: u64,
    masked_diagonal: usize,
) -> (u64, u16, bool) {
    /// The survivors' running sum and maximum.
    #[derive(Default)]
    struct Kept {
        sum: u64,
        largest: u16,
    }
    impl Kept {
        #[inline(always)]
        fn entry(&mut self, w: u16, survives: bool, slot: &mut u32) {
            let kept = if survives { w } else { 0 };
            self.sum = self.sum.wrapping_add(u64::from(kept));
            self.largest = self.largest.max(kept);
            *slot = if survives { u32::from(w) } else { MASKED };
        }
    }
    if entries.len() == registration.len() {
        // Selects by masks (all ones when the entry survives), so that the compiler
        // keeps the loop free of branches.
        let (mut sum, mut largest, mut full) = (0u64, 0u16, true);
        for (k, ((&(j, w), slot), &r)) in entries
            .iter()
            .zip(slots.iter_mut())
            .zip(registration)
            .enumerate()
        {
            full &= usize::from(j) == k;
            let keep = u32::from((r < limit) & (k != masked_diagonal)).wrapping_neg();
            let kept = u32::from(w) & keep;
            sum = sum.wrapping_add(u64::from(kept));
            largest = largest.max(kept as u16);
            *slot = kept | !keep;
        }
        if full {
            return (sum, largest, true);
        }
    }
    let mut kept = Kept::default();
    // Column tracker starts below every u16 column.
    let mut previous = -1i32;
    let mut aligned = true;
    for (&(j, w), slot) in entries.iter().zip(slots.iter_mut()) {
        aligned &= i32::from(j) > previous;
        previous = i32::from(j);
        let survives = registration.get(usize::from(j)).is_some_and(|&r| r < limit)
            & (usize::from(j) != masked_diagonal);
        kept.entry(w, survives, slot);
    }
    (kept.sum, kept.largest, aligned)
}

/// Clipping at consensus (spec §4.8): the clipped value, or `None` when dropped.
pub(crate) fn clip(w: I32F32, consensus: I32F32) -> Option<I32F32> {
    if consensus < w {
        (consensus > I32F32::ZERO).then_some(consensus)
    } else {
        Some(w)
    }
}

/// Produces the rows of the weights for bonds (spec §4.10) one at a time.
pub(crate) struct WeightsForBonds<'w, 'a> {
    weights: &'w Weights<'a>,
    consensus: &'w [I32F32],
    penalty: I32F32,
    scratch: RowScratch,
    second: Vec<I32F32>,
}

impl<'w, 'a> WeightsForBonds<'w, 'a> {
    fn new(weights: &'w Weights<'a>, consensus: &'w [I32F32], penalty: I32F32) -> Self {
        let n = weights.n();
        Self {
            weights,
            consensus,
            penalty,
            scratch: RowScratch::new(n),
            second: vec![I32F32::ZERO; n],
        }
    }

    /// Writes row `i` into `out` (cleared first).
    pub(crate) fn row(&mut self, i: usize, out: &mut Vec<(u16, I32F32)>) {
        out.clear();
        let consensus = self.consensus;
        let at = |j: usize| consensus.get(j).copied().unwrap_or(I32F32::ZERO);
        if self.penalty == I32F32::ZERO {
            self.weights.for_each(i, |j, w| out.push((j as u16, w)));
        } else if self.penalty == I32F32::ONE {
            self.weights.for_each(i, |j, w| {
                if let Some(c) = clip(w, at(j)) {
                    out.push((j as u16, c));
                }
            });
        } else {
            let penalty = self.penalty;
            // Precomputed rows whose columns ascend (the usual storage): one pass.
            if let Some((entries, values)) = self.weights.ascending_stored_row(i) {
                out.extend(
                    entries
                        .iter()
                        .zip(values)
                        .filter(|(_, v)| **v != MASKED)
                        .filter_map(|(&(j, _), &v)| {
                            let a = I32F32::from_bits(i64::from(v));
                            let b = clip(a, at(usize::from(j))).unwrap_or(I32F32::ZERO);
                            let x = weight_for_bonds(a, b, penalty);
                            (x > I32F32::ZERO).then_some((j, x))
                        }),
                );
                return;
            }
            // Other sorted rows without repeats: interpolate in place.
            let mut previous: Option<usize> = None;
            let mut sorted = true;
            self.weights.for_each(i, |j, a| {
                sorted &= previous < Some(j);
                previous = Some(j);
                if sorted {
                    let b = clip(a, at(j)).unwrap_or(I32F32::ZERO);
                    let x = weight_for_bonds(a, b, penalty);
                    if x > I32F32::ZERO {
                        out.push((j as u16, x));
                    }
                }
            });
            if sorted {
                return;
            }
            out.clear();
            let (scratch, second) = (&mut self.scratch, &mut self.second);
            self.weights.for_each(i, |j, w| {
                scratch.set(j, w);
                if let (Some(c), Some(slot)) = (clip(w, at(j)), second.get_mut(j)) {
                    *slot = c;
                }
            });
            let penalty = self.penalty;
            scratch.drain_ascending(|j, a| {
                let b = second.get_mut(j).map_or(I32F32::ZERO, core::mem::take);
                let x = weight_for_bonds(a, b, penalty);
                if x > I32F32::ZERO {
                    out.push((j as u16, x));
                }
            });
        }
    }
}

/// The stored bonds after loading and the registration mask (§4.11.1-2, §4.12.1-2),
/// as a view: `value` converts the stored u16.
struct Bonds<'a> {
    stored: &'a SparseRows<u16>,
    registration: &'a [u64],
    last_tempo: u64,
    n: usize,
}

impl Bonds<'_> {
    fn for_each(&self, i: usize, mut f: impl FnMut(usize, u16)) {
        if i >= self.n {
            return;
        }
        for &(j, v) in self.stored.row(i) {
            let j = usize::from(j);
            let registered = self.registration.get(j).copied().unwrap_or(0);
            if self.last_tempo <= registered {
                continue;
            }
            f(j, v);
        }
    }
}

/// Saturating column sums over columns `0..n` in row order (entries `j ≥ n` skipped).
fn column_sums(n: usize, rows: impl Fn(&mut dyn FnMut(usize, I32F32)), sums: &mut Vec<I32F32>) {
    sums.clear();
    sums.resize(n, I32F32::ZERO);
    rows(&mut |j, v| {
        if let Some(s) = sums.get_mut(j) {
            *s = s.saturating_add(v);
        }
    });
}

/// Column divisors for a column normalisation: `None` where the column sum is zero.
enum ColumnDivisors {
    /// Few entries per column: estimate-only divisors (small, cheap to make).
    Few(Vec<Option<Divisor>>),
    /// Many entries per column: divisors with exact reciprocals.
    Many(Vec<Option<ExactDivisor>>),
}

/// The divisors of a column normalisation of `entries` values. Reciprocals pay off
/// from about 8 divisions per column; sparser matrices skip them.
fn column_divisors(sums: &[I32F32], entries: usize) -> ColumnDivisors {
    if entries / 8 >= sums.len() {
        ColumnDivisors::Many(
            sums.iter()
                .map(|s| (*s != I32F32::ZERO).then(|| ExactDivisor::new(*s)))
                .collect(),
        )
    } else {
        ColumnDivisors::Few(
            sums.iter()
                .map(|s| (*s != I32F32::ZERO).then(|| Divisor::new(*s)))
                .collect(),
        )
    }
}

/// `v safe÷ sums[j]` when `j < n` and the sum is non-zero, else `v` unchanged.
#[inline(always)]
fn divide_by_column(divisors: &ColumnDivisors, j: usize, v: I32F32) -> I32F32 {
    match divisors {
        ColumnDivisors::Few(d) => match d.get(j) {
            Some(Some(d)) => d.divide(v),
            _ => v,
        },
        ColumnDivisors::Many(d) => match d.get(j) {
            Some(Some(d)) => d.divide(v),
            _ => v,
        },
    }
}

/// Buffers reused by [`ema_row`] from row to row.
struct EmaWork {
    scratch: RowScratch,
    new: Vec<(u16, I32F32)>,
    old: Vec<(u16, I32F32)>,
}

impl EmaWork {
    fn new(n: usize) -> Self {
        Self {
            scratch: RowScratch::new(n),
            new: Vec::new(),
            old: Vec::new(),
        }
    }
}

/// Whether a row's stored columns strictly ascend. A fold without an early exit: the
/// usual rows do ascend and are read to the end anyway, and a loop without a
/// data-dependent branch runs several compares per cycle.
pub(crate) fn strictly_ascending<T>(row: &[(u16, T)]) -> bool {
    strictly_ascending_with(row, Isa::Best)
}

/// [`strictly_ascending`] compiled for the instruction set `isa`.
fn strictly_ascending_with<T>(row: &[(u16, T)], isa: Isa) -> bool {
    cpu::run(isa, Ascending(row))
}

/// The kernel of [`strictly_ascending`].
struct Ascending<'r, T>(&'r [(u16, T)]);

impl<T> Ascending<'_, T> {
    /// Or-ed together, `b − a − 1` for each column `a` and its successor's `b`:
    /// negative exactly when some `a ≥ b`. Integer lanes, no flags: flags would go
    /// through mask registers one at a time.
    #[inline(always)]
    fn descents<'p>(pairs: impl Iterator<Item = (&'p (u16, T), &'p (u16, T))>) -> i32
    where
        T: 'p,
    {
        pairs.fold(0i32, |acc, (a, b)| {
            acc | i32::from(b.0).wrapping_sub(i32::from(a.0)).wrapping_sub(1)
        })
    }
}

impl<T> Kernel for Ascending<'_, T> {
    type Output = bool;

    #[inline(always)]
    fn run(self) -> bool {
        let row = self.0;
        // Whole chunks as fixed-length loops over two overlapping windows of the row
        // (vector compares, the columns picked out of the pairs in registers), then
        // the rest.
        const CHUNK: usize = 64;
        let mut descents = 0i32;
        let mut start = 0usize;
        while let Some(pairs) = row.get(start..start.wrapping_add(CHUNK + 1)) {
            let current = pairs.get(..CHUNK).unwrap_or(&[]);
            let next = pairs.get(1..).unwrap_or(&[]);
            if let (Ok(current), Ok(next)) = (
                <&[(u16, T); CHUNK]>::try_from(current),
                <&[(u16, T); CHUNK]>::try_from(next),
            ) {
                descents |= Self::descents(current.iter().zip(next));
            }
            start = start.wrapping_add(CHUNK);
        }
        let rest = row.get(start..).unwrap_or(&[]);
        descents |= Self::descents(rest.iter().zip(rest.iter().skip(1)));
        descents >= 0
    }
}

/// `mat_ema_sparse` for one row: `acc_j = α·new_j sat+ (1−α)·old_j` over columns
/// `j < n`, positives emitted in ascending `j`, where `work.new` and `work.old` hold
/// the row's `(column, value)` entries of ΔB and B (filled by the caller). Rows that
/// are already sorted (the usual storage) are merged; others go through the dense
/// accumulator.
fn ema_row(work: &mut EmaWork, alpha: I32F32, out: &mut Csr) -> Result<(), EpochError> {
    let one_minus_alpha = I32F32::ONE.saturating_sub(alpha);
    let n = work.scratch.len();
    let (new, old) = (&work.new, &work.old);
    let mut emit = |j: u16, v: I32F32| {
        if v > I32F32::ZERO && usize::from(j) < n {
            out.push(j, v);
        }
    };
    if strictly_ascending(new) && strictly_ascending(old) {
        let (mut a, mut b) = (new.as_slice(), old.as_slice());
        while let (Some((&(ja, va), ra)), Some((&(jb, vb), rb))) =
            (a.split_first(), b.split_first())
        {
            match ja.cmp(&jb) {
                core::cmp::Ordering::Less => {
                    emit(ja, mul(alpha, va));
                    a = ra;
                }
                core::cmp::Ordering::Greater => {
                    emit(jb, mul(one_minus_alpha, vb));
                    b = rb;
                }
                core::cmp::Ordering::Equal => {
                    emit(ja, mul(alpha, va).saturating_add(mul(one_minus_alpha, vb)));
                    a = ra;
                    b = rb;
                }
            }
        }
        for &(j, v) in a {
            emit(j, mul(alpha, v));
        }
        for &(j, v) in b {
            emit(j, mul(one_minus_alpha, v));
        }
    } else {
        for &(j, v) in new {
            work.scratch.add(usize::from(j), mul(alpha, v));
        }
        for &(j, v) in old {
            work.scratch.add(usize::from(j), mul(one_minus_alpha, v));
        }
        work.scratch.drain_ascending(|j, v| emit(j as u16, v));
    }
    out.finish_row()
}

/// Yuma3's bonds EMA row (§4.10 and §4.12 without liquid alpha) in one merge over the
/// stored weights and bonds, for the usual storage: a precomputed weight row whose
/// surviving columns ascend, and a bond row whose stored columns ascend. Returns
/// `Ok(false)`, having written nothing, for any other row.
///
/// The weight for bonds is `a + p·(b − a)` with `b` the clipped weight (0 when clipping
/// drops it): for `p = 0` that is `a`, for `p = 1` it is `b`, as in
/// [`WeightsForBonds::row`]. Entries whose weight for bonds is 0 are merged too, which
/// changes nothing: `α·0 = 0` adds nothing and only positive sums are emitted.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn fused_yuma3_ema_row(
    weights: &Weights<'_>,
    consensus: &[I32F32],
    penalty: I32F32,
    bonds: &Bonds<'_>,
    alpha: I32F32,
    i: usize,
    out: &mut Csr,
) -> Result<bool, EpochError> {
    let Some((w_entries, w_values)) = weights.ascending_stored_row(i) else {
        return Ok(false);
    };
    let bond_row = if i < bonds.n {
        bonds.stored.row(i)
    } else {
        &[]
    };
    if !bond_row
        .windows(2)
        .all(|w| matches!((w.first(), w.get(1)), (Some(a), Some(b)) if a.0 < b.0))
    {
        return Ok(false);
    }
    let n = bonds.n;
    let one_minus_alpha = I32F32::ONE.saturating_sub(alpha);
    let stored_for_bonds = |j: u16, v: u32| {
        let a = I32F32::from_bits(i64::from(v));
        let c = consensus
            .get(usize::from(j))
            .copied()
            .unwrap_or(I32F32::ZERO);
        let b = clip(a, c).unwrap_or(I32F32::ZERO);
        weight_for_bonds(a, b, penalty)
    };
    let bond_kept = |j: u16| {
        let registered = bonds.registration.get(usize::from(j)).copied().unwrap_or(0);
        bonds.last_tempo > registered && usize::from(j) < n
    };
    let mut weights_iter = w_entries
        .iter()
        .zip(w_values)
        .filter(|(_, v)| **v != MASKED)
        .map(|(&(j, _), &v)| (j, v));
    let mut bonds_iter = bond_row.iter().filter(|(j, _)| bond_kept(*j));
    let mut emit = |j: u16, v: I32F32| {
        if v > I32F32::ZERO {
            out.push(j, v);
        }
    };
    let (mut next_w, mut next_b) = (weights_iter.next(), bonds_iter.next());
    loop {
        match (next_w, next_b) {
            (Some((ja, va)), Some(&(jb, vb))) => match ja.cmp(&jb) {
                core::cmp::Ordering::Less => {
                    emit(ja, mul(alpha, stored_for_bonds(ja, va)));
                    next_w = weights_iter.next();
                }
                core::cmp::Ordering::Greater => {
                    emit(jb, mul(one_minus_alpha, u16_proportion(vb)));
                    next_b = bonds_iter.next();
                }
                core::cmp::Ordering::Equal => {
                    let new = mul(alpha, stored_for_bonds(ja, va));
                    emit(
                        ja,
                        new.saturating_add(mul(one_minus_alpha, u16_proportion(vb))),
                    );
                    next_w = weights_iter.next();
                    next_b = bonds_iter.next();
                }
            },
            (Some((ja, va)), None) => {
                emit(ja, mul(alpha, stored_for_bonds(ja, va)));
                next_w = weights_iter.next();
            }
            (None, Some(&(jb, vb))) => {
                emit(jb, mul(one_minus_alpha, u16_proportion(vb)));
                next_b = bonds_iter.next();
            }
            (None, None) => break,
        }
    }
    out.finish_row()?;
    Ok(true)
}

/// What Yuma3's EMA (§4.12, fixed `α`) reads from the rest of the epoch.
#[derive(Clone, Copy)]
struct Yuma3Context<'r, 'a> {
    weights: &'r Weights<'a>,
    consensus: &'r [I32F32],
    penalty: I32F32,
    bonds: &'r Bonds<'r>,
    alpha: I32F32,
}

/// What the general (unfused) Yuma3 EMA needs to produce one row: the context and
/// the scratch rows.
struct EmaRows<'r, 'w, 'a> {
    context: Yuma3Context<'r, 'a>,
    weights_for_bonds: &'r mut WeightsForBonds<'w, 'a>,
    work: &'r mut EmaWork,
}

impl EmaRows<'_, '_, '_> {
    /// Appends row `i` of Yuma3's EMA bonds (§4.12, fixed `α`) to `ema`.
    fn yuma3_row(&mut self, i: usize, ema: &mut Csr) -> Result<(), EpochError> {
        let Yuma3Context {
            weights,
            consensus,
            penalty,
            bonds,
            alpha,
        } = self.context;
        if fused_yuma3_ema_row(weights, consensus, penalty, bonds, alpha, i, ema)? {
            return Ok(());
        }
        self.weights_for_bonds.row(i, &mut self.work.new);
        let old = &mut self.work.old;
        old.clear();
        bonds.for_each(i, |j, v| old.push((j as u16, u16_proportion(v))));
        ema_row(self.work, alpha, ema)
    }
}

/// The Yuma3 pass fused with clipping (§4.8–§4.12), row after row: rows that take
/// [`AlignedEma`]'s integer steps there, the others by the general clip and EMA,
/// whose sums `fast` settles in row order.
fn fused_yuma3_in_order<'w>(
    mut fast: AlignedEma<'w>,
    rows: &mut EmaRows<'w, '_, '_>,
    stored_bonds: &'w SparseRows<u16>,
    active_stake: &[I32F32],
    buffers: CsrBuffers,
) -> Result<FusedEma, EpochError> {
    let Yuma3Context {
        weights, consensus, ..
    } = rows.context;
    let n = weights.n();
    let mut ema = Csr::reusing(buffers, n, stored_bonds.nnz());
    let mut trust = vec![I32F32::ZERO; n];
    for (i, t) in trust.iter_mut().enumerate() {
        let stake = active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
        let bond_row = stored_bonds.row(i);
        if let (Some(w), true) = (weights.aligned_row(i), strictly_ascending(bond_row)) {
            *t = fast.row(w, bond_row, stake, &mut ema)?;
            continue;
        }
        *t = clip_and_rank_row(weights, i, consensus, stake, fast.ranks_mut(), None, None)?;
        rows.yuma3_row(i, &mut ema)?;
        fast.add_row(&ema, i);
    }
    let (ranks, totals) = fast.into_sums();
    Ok(FusedEma {
        ema,
        trust,
        ranks,
        totals,
    })
}

/// Clipping at consensus, validator trust and ranks (spec §4.8, §4.9) for row `i`:
/// returns the wrapping sum of its clipped weights (its validator trust) and adds the
/// stake-weighted clipped weights to `ranks` (saturating; rows must come in order).
/// With `delta`, also adds `W_b × stake` to ΔB's column sums (§4.11); only for rows
/// whose surviving columns do not repeat, where W_b is one value per entry.
fn clip_and_rank_row(
    weights: &Weights<'_>,
    i: usize,
    consensus: &[I32F32],
    stake: I32F32,
    ranks: &mut [I32F32],
    clipped_trace: Option<&mut SparseRows<i64>>,
    mut delta: Option<(&mut [I32F32], I32F32)>,
) -> Result<I32F32, EpochError> {
    let mut row_sum = I32F32::ZERO;
    let mut clipped = clipped_trace;
    weights.for_each(i, |j, w| {
        let clip = clip(w, consensus.get(j).copied().unwrap_or(I32F32::ZERO));
        if let Some((totals, penalty)) = delta.as_mut() {
            // The weight for bonds (§4.10) of an entry of a row without repeats, and its
            // stake-weighted share of ΔB's column sum.
            let b = clip.unwrap_or(I32F32::ZERO);
            let wb = weight_for_bonds(w, b, *penalty);
            if let Some(t) = totals.get_mut(j) {
                *t = t.saturating_add(mul(wb, stake));
            }
        }
        let Some(c) = clip else {
            return;
        };
        row_sum = row_sum.wrapping_add(c);
        if stake != I32F32::ZERO {
            if let Some(r) = ranks.get_mut(j) {
                *r = r.saturating_add(mul(stake, c));
            }
        }
        if let Some(rows) = clipped.as_deref_mut() {
            rows.push_entry(j as u16, c.to_bits());
        }
    });
    if let Some(rows) = clipped {
        rows.finish_row()?;
    }
    Ok(row_sum)
}

/// Yuma3 dividends (§4.12): per row, `Σ_j (ema_ij / column_total_j) · incentive_j`
/// (wrapping), times the row's active stake. `divide` normalises one entry by its column.
#[inline(never)]
fn yuma3_dividends(
    ema: &Csr,
    divide: impl Fn(usize, I32F32) -> I32F32,
    incentive: &[I32F32],
    active_stake: &[I32F32],
    dividends: &mut [I32F32],
) {
    for (i, d) in dividends.iter_mut().enumerate() {
        let total = dividend_sum(ema, i, &divide, incentive);
        let s = active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
        *d = total.checked_mul(s).unwrap_or(I32F32::ZERO);
    }
}

/// Row `i`'s `Σ_j (ema_ij / column_total_j) · incentive_j`, wrapping.
fn dividend_sum(
    ema: &Csr,
    i: usize,
    divide: &impl Fn(usize, I32F32) -> I32F32,
    incentive: &[I32F32],
) -> I32F32 {
    let mut total = I32F32::ZERO;
    ema.for_each_in_row(i, |j, e| {
        if let Some(inc) = incentive.get(j) {
            total = total.wrapping_add(mul(divide(j, e), *inc));
        }
    });
    total
}

/// [`yuma3_dividends`] with exact per-column reciprocals: a narrow EMA entry `e` is at
/// most its column's total, so `e / total ≤ 1` comes from a [`PartDivisor`], and its
/// product with an incentive in `[0, 1]` is at most that incentive, so the chain's
/// saturating product is the plain floored one. Rows, columns or incentives outside
/// those bounds take the general steps.
#[inline(never)]
fn yuma3_dividends_exact(
    ema: &Csr,
    divisors: &[Option<ExactDivisor>],
    incentive: &[I32F32],
    active_stake: &[I32F32],
    dividends: &mut [I32F32],
    split: Split,
) {
    let columns = DividendColumns::new(divisors, incentive);
    let general_row = |i: usize| -> I32F32 {
        let divide = |j: usize, v: I32F32| match divisors.get(j) {
            Some(Some(d)) => d.divide(v),
            _ => v,
        };
        dividend_sum(ema, i, &divide, incentive)
    };
    let row_dividend = |i: usize| -> I32F32 {
        let s = active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
        let total = ema
            .narrow_row(i)
            .and_then(|(cols, vals)| columns.row_sum(cols, vals))
            .unwrap_or_else(|| general_row(i));
        total.checked_mul(s).unwrap_or(I32F32::ZERO)
    };

    // Parts of rows, each with its slice of the dividends.
    let rows = split.ranges(dividends.len(), |i| ema.row_start(i));
    let parts = split::cut_mut(dividends, &rows);
    split::map(parts, |(first, dividends)| {
        for (k, d) in dividends.iter_mut().enumerate() {
            let i = first.wrapping_add(k);
            *d = row_dividend(i);
        }
    });
}

/// The Yuma3 EMA rows of [`AlignedEma`] in parts of rows, when every row takes its
/// integer steps (`rows[i]` is row `i`'s aligned weight row): the EMA matrix, the
/// validator trust and the ranks and column totals, equal to the serial ones.
///
/// The rows go in [`EMA_WAVES`] waves of one part per thread, each wave's matrices
/// appended to the whole before the next starts, so that the parts in flight add only
/// a fraction of the matrix to the heap.
fn aligned_ema_in_parts(
    fresh: &AlignedEma<'_>,
    rows: &[StoredRow<'_>],
    bonds: &SparseRows<u16>,
    active_stake: &[I32F32],
    split: Split,
    buffers: CsrBuffers,
) -> Result<FusedEma, EpochError> {
    let n = rows.len();
    let parts = split::cut(
        rows,
        &split.times(EMA_WAVES).ranges(n, |i| row_start(bonds, i)),
    );
    let mut ema = Csr::reusing(buffers, n, bonds.nnz());
    let mut trust = Vec::with_capacity(n);
    let (mut ranks, mut totals) = (vec![I32F32::ZERO; n], vec![I32F32::ZERO; n]);
    for wave in parts.chunks(split.parts()) {
        let results = split::map(wave.to_vec(), |(first, rows)| {
            let mut fast = fresh.clone();
            let entries = row_start(bonds, first.saturating_add(rows.len()))
                .saturating_sub(row_start(bonds, first));
            let mut ema = Csr::with_capacity(rows.len(), entries);
            let mut trust = Vec::with_capacity(rows.len());
            for (k, &row) in rows.iter().enumerate() {
                let i = first.wrapping_add(k);
                let stake = active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
                trust.push(fast.row(row, bonds.row(i), stake, &mut ema)?);
            }
            Ok::<_, EpochError>((fast.into_sums(), ema, trust))
        });
        for part in results {
            let ((part_ranks, part_totals), part_ema, part_trust) = part?;
            // Each part's sums are below 2^63, and so are the serial ones: no
            // saturation, the same sums.
            for (sum, part) in ranks.iter_mut().zip(part_ranks) {
                *sum = sum.saturating_add(part);
            }
            for (sum, part) in totals.iter_mut().zip(part_totals) {
                *sum = sum.saturating_add(part);
            }
            ema.append(part_ema)?;
            trust.extend(part_trust);
        }
    }
    Ok(FusedEma {
        ema,
        trust,
        ranks,
        totals,
    })
}

/// What the Yuma3 pass fused with clipping yields.
struct FusedEma {
    ema: Csr,
    /// Validator trust per row.
    trust: Vec<I32F32>,
    ranks: Vec<I32F32>,
    /// The EMA's column totals.
    totals: Vec<I32F32>,
}

/// Waves of parts in [`aligned_ema_in_parts`]: the parts in flight hold about
/// `1 / EMA_WAVES` of the EMA matrix.
const EMA_WAVES: usize = 8;

fn run(
    input: &EpochInput,
    mut trace: Option<&mut Trace>,
    splitting: Splitting,
    mut scratch: Option<&mut EpochScratch>,
) -> Result<EpochOutput, EpochError> {
    validate(input)?;
    // The large arrays: taken from the scratch (and given back at the end), else new.
    let (values_buffer, mut ema_buffers) = match scratch.as_deref_mut() {
        Some(s) => (mem::take(&mut s.values), mem::take(&mut s.ema)),
        None => (Vec::new(), CsrBuffers::default()),
    };
    let n = usize::from(input.n);
    let owner = input.owner_uid.map(usize::from);
    let has_hotkey = |i: usize| input.has_hotkey.get(i).copied().unwrap_or(false);

    // §4.2 activity and registration.
    let tempo = u64::from(input.tempo);
    let cutoff = u64::from(input.activity_cutoff_factor_milli)
        .saturating_mul(tempo)
        .saturating_div(1000)
        .max(1);
    let mut last_update = input.last_update.clone();
    if last_update.len() < n {
        last_update.resize(n, 0);
    }
    let inactive: Vec<bool> = last_update
        .iter()
        .map(|u| u.saturating_add(cutoff) < input.current_block)
        .collect();
    let registration: Vec<u64> = (0..n)
        .map(|i| {
            if has_hotkey(i) {
                input.block_at_registration.get(i).copied().unwrap_or(0)
            } else {
                0
            }
        })
        .collect();

    // §4.3 stake.
    let tao_weight = I64F64::saturating_from_num(safe_div(
        U96F32::saturating_from_num(input.tao_weight),
        U96F32::saturating_from_num(u64::MAX),
    ));
    let total_stake: Vec<I64F64> = (0..n)
        .map(|i| {
            if !has_hotkey(i) {
                return I64F64::ZERO;
            }
            let alpha = I64F64::saturating_from_num(input.alpha_stake.get(i).copied().unwrap_or(0));
            let tao = I64F64::saturating_from_num(input.tao_stake.get(i).copied().unwrap_or(0));
            alpha.saturating_add(tao.saturating_mul(tao_weight))
        })
        .collect();
    let stake_u64: Vec<u64> = total_stake
        .iter()
        .map(|s| s.saturating_to_num::<u64>())
        .collect();
    let mut filtered: Vec<I64F64> = total_stake
        .iter()
        .zip(&stake_u64)
        .enumerate()
        .map(|(i, (s, floor))| {
            if owner != Some(i) && *floor < input.stake_threshold {
                I64F64::ZERO
            } else {
                *s
            }
        })
        .collect();
    normalize_64(&mut filtered);
    let stake: Vec<I32F32> = filtered
        .iter()
        .map(|s| I32F32::saturating_from_num(*s))
        .collect();
    if let Some(t) = trace.as_deref_mut() {
        t.total_stake_i64f64 = Some(total_stake.iter().map(|x| x.to_bits()).collect());
        t.stake_normalized_i64f64 = Some(filtered.iter().map(|x| x.to_bits()).collect());
        t.stake_i32f32 = Some(bits32(&stake));
    }
    drop(filtered);
    drop(total_stake);

    // §4.4 validator permits.
    let mut permit = input.validator_permit.clone();
    if let Some(p) = owner.and_then(|o| permit.get_mut(o)) {
        *p = true;
    }
    let mut new_permit = top_k_nonzero(&stake, usize::from(input.max_allowed_validators));
    if let Some(p) = owner.and_then(|o| new_permit.get_mut(o)) {
        *p = true;
    }
    let permitted = |i: usize| permit.get(i).copied().unwrap_or(false);

    // §4.5 active stake.
    let mut active_stake = stake.clone();
    mask_vector(
        |i| inactive.get(i).copied(),
        inactive.is_empty(),
        &mut active_stake,
    );
    mask_vector(
        |i| permit.get(i).map(|p| !p),
        permit.is_empty(),
        &mut active_stake,
    );
    normalize(&mut active_stake);
    if let Some(t) = trace.as_deref_mut() {
        t.active_stake_i32f32 = Some(bits32(&active_stake));
    }

    // §4.6 weights, with the commit-reveal mask of §6.
    let commits = input.commit_reveal_enabled.then(|| commit_blocks(input, n));
    let masks = RowMasks {
        registration: &registration,
        owner,
        last_update: &last_update,
        commits: commits.as_deref(),
    };
    let weights = Weights::new(
        &input.weights,
        masks,
        permitted,
        splitting.for_entries(input.weights.nnz()),
        values_buffer,
    );
    if let Some(t) = trace.as_deref_mut() {
        let mut rows = SparseRows::with_capacity(n, 0);
        for i in 0..n {
            weights.for_each(i, |j, w| rows.push_entry(j as u16, w.to_bits()));
            rows.finish_row()?;
        }
        t.weights_normalized_i32f32 = Some(rows);
        t.commit_blocks = commits.clone();
    }

    // §4.7 consensus.
    let kappa = u16_proportion(input.kappa);
    let consensus = weighted_median_columns(
        &weights,
        &active_stake,
        kappa,
        splitting.for_entries(input.weights.nnz()),
    );
    if let Some(t) = trace.as_deref_mut() {
        t.consensus_i32f32 = Some(bits32(&consensus));
    }

    // §4.8 clipping and validator trust, §4.9 ranks and incentive; without a trace and
    // for Yuma3 without liquid alpha, fused with the bonds EMA of §4.10 and §4.12 (which
    // needs neither incentive nor dividends) into one pass over the weights.
    let penalty = u16_proportion(input.bonds_penalty);
    let last_tempo = if input.last_mechanism_step_block == 0 {
        input.current_block.saturating_sub(tempo)
    } else {
        input.last_mechanism_step_block.saturating_add(1)
    };
    let bonds = Bonds {
        stored: &input.bonds,
        registration: &registration,
        last_tempo,
        n,
    };
    let use_liquid_alpha = input.yuma3_enabled
        && input.liquid_alpha_enabled
        && consensus.iter().any(|c| *c != I32F32::ZERO);
    let yuma3_alpha = {
        let bma = I64F64::wrapping_from_num(input.bonds_moving_average);
        let bma = bma.saturating_div(I64F64::from_bits(1_000_000_i128 << 64));
        I32F32::ONE.saturating_sub(I32F32::wrapping_from_num(bma))
    };
    let yuma3 = Yuma3Context {
        weights: &weights,
        consensus: &consensus,
        penalty,
        bonds: &bonds,
        alpha: yuma3_alpha,
    };
    let mut weights_for_bonds = WeightsForBonds::new(&weights, &consensus, penalty);
    let mut wb_row: Vec<(u16, I32F32)> = Vec::new();
    let mut ema_work = EmaWork::new(n);
    let mut validator_trust = vec![I32F32::ZERO; n];
    let mut ranks = vec![I32F32::ZERO; n];
    let stake_of = |i: usize| active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
    let mut fused_ema: Option<(Csr, Vec<I32F32>)> = None;
    if input.yuma3_enabled && !use_liquid_alpha && trace.is_none() {
        let bond_kept: Vec<bool> = registration.iter().map(|&r| last_tempo > r).collect();
        if let Some(fast) = AlignedEma::new(&consensus, &bond_kept, penalty, yuma3_alpha) {
            let split = splitting.for_entries(input.bonds.nnz().max(input.weights.nnz()));
            // Parts of rows, when every row takes the integer steps: their column sums
            // are exact u64 sums until the end, so the parts' sums add up to the
            // serial ones.
            let integer_rows: Option<Vec<StoredRow<'_>>> = if split.is_single() {
                None
            } else {
                (0..n)
                    .map(|i| {
                        let row = weights.aligned_row(i)?;
                        let integer = strictly_ascending(input.bonds.row(i))
                            && proportion(stake_of(i)).is_some();
                        integer.then_some(row)
                    })
                    .collect()
            };
            let fused = match integer_rows {
                Some(rows) => {
                    let buffers = mem::take(&mut ema_buffers);
                    aligned_ema_in_parts(&fast, &rows, &input.bonds, &active_stake, split, buffers)?
                }
                None => {
                    let mut rows = EmaRows {
                        context: yuma3,
                        weights_for_bonds: &mut weights_for_bonds,
                        work: &mut ema_work,
                    };
                    let buffers = mem::take(&mut ema_buffers);
                    fused_yuma3_in_order(fast, &mut rows, &input.bonds, &active_stake, buffers)?
                }
            };
            validator_trust = fused.trust;
            ranks = fused.ranks;
            fused_ema = Some((fused.ema, fused.totals));
        }
    }
    let mut clipped_trace = trace.is_some().then(|| SparseRows::with_capacity(n, 0));
    // Original Yuma's ΔB = W_b ∘ S is column-normalised (§4.11): its column sums come
    // from this same pass (saturating, in row order).
    let mut delta_totals = (!input.yuma3_enabled).then(|| vec![I32F32::ZERO; n]);
    if fused_ema.is_none() {
        // Original Yuma's aligned rows clip in integer steps (`aligned_yuma`).
        let mut yuma_clip = match (&delta_totals, &trace) {
            (Some(_), None) => YumaClip::new(&consensus, penalty),
            _ => None,
        };
        for (i, trust) in validator_trust.iter_mut().enumerate() {
            let s = stake_of(i);
            if let (Some(clip), Some(row)) = (yuma_clip.as_mut(), weights.aligned_row(i)) {
                if let Some(t) = clip.row(row, s) {
                    *trust = t;
                    continue;
                }
            }
            if let (Some(clip), Some(totals)) = (yuma_clip.as_mut(), delta_totals.as_deref_mut()) {
                clip.flush(&mut ranks, totals);
            }
            let delta = match delta_totals.as_deref_mut() {
                Some(totals) if weights.ascending(i) => Some((totals, penalty)),
                _ => None,
            };
            *trust = clip_and_rank_row(
                &weights,
                i,
                &consensus,
                s,
                &mut ranks,
                clipped_trace.as_mut(),
                delta,
            )?;
            if let (Some(totals), false) = (delta_totals.as_deref_mut(), weights.ascending(i)) {
                weights_for_bonds.row(i, &mut wb_row);
                for (j, w) in &wb_row {
                    if let Some(t) = totals.get_mut(usize::from(*j)) {
                        *t = t.saturating_add(mul(*w, s));
                    }
                }
            }
        }
        if let (Some(clip), Some(totals)) = (yuma_clip.as_mut(), delta_totals.as_deref_mut()) {
            clip.flush(&mut ranks, totals);
        }
    }
    let mut incentive = ranks.clone();
    normalize(&mut incentive);
    if let Some(t) = trace.as_deref_mut() {
        t.clipped_weights_i32f32 = clipped_trace.take();
        t.validator_trust_i32f32 = Some(bits32(&validator_trust));
        t.ranks_i32f32 = Some(bits32(&ranks));
        t.incentive_i32f32 = Some(bits32(&incentive));
    }
    drop(ranks);

    // §4.10 weights for bonds.
    if let Some(t) = trace.as_deref_mut() {
        let mut rows = SparseRows::with_capacity(n, 0);
        for i in 0..n {
            weights_for_bonds.row(i, &mut wb_row);
            rows.push_row(wb_row.iter().map(|(j, w)| (*j, w.to_bits())))?;
        }
        t.weights_for_bonds_i32f32 = Some(rows);
    }

    let mut column_totals: Vec<I32F32> = Vec::new();
    let mut dividends = vec![I32F32::ZERO; n];
    let stored_bonds: Csr;

    if input.yuma3_enabled {
        // §4.12 Yuma3.
        if let Some(t) = trace.as_deref_mut() {
            let mut rows = SparseRows::with_capacity(n, 0);
            for i in 0..n {
                bonds.for_each(i, |j, v| {
                    rows.push_entry(j as u16, u16_proportion(v).to_bits())
                });
                rows.finish_row()?;
            }
            t.bonds_prepared_i32f32 = Some(rows);
        }
        let mut ema;
        if let Some((fused, totals)) = fused_ema {
            ema = fused;
            column_totals = totals;
        } else if use_liquid_alpha {
            ema = Csr::reusing(mem::take(&mut ema_buffers), n, input.bonds.nnz());
            let mut liquid = LiquidAlpha::new(input, &consensus);
            let mut bond_row: Vec<(u16, I32F32)> = Vec::new();
            for i in 0..n {
                weights_for_bonds.row(i, &mut wb_row);
                bond_row.clear();
                if i < n {
                    for &(j, v) in input.bonds.row(i) {
                        let registered = registration.get(usize::from(j)).copied().unwrap_or(0);
                        if last_tempo > registered {
                            bond_row.push((j, u16_proportion(v)));
                        }
                    }
                }
                liquid.ema_row(&wb_row, &bond_row, &mut ema)?;
            }
        } else {
            ema = Csr::reusing(mem::take(&mut ema_buffers), n, input.bonds.nnz());
            let mut rows = EmaRows {
                context: yuma3,
                weights_for_bonds: &mut weights_for_bonds,
                work: &mut ema_work,
            };
            for i in 0..n {
                rows.yuma3_row(i, &mut ema)?;
            }
        }
        if column_totals.len() != n {
            column_sums(n, |f| ema.for_each(&mut *f), &mut column_totals);
        }
        let column_totals = column_divisors(&column_totals, ema.nnz());
        match &column_totals {
            ColumnDivisors::Few(d) => yuma3_dividends(
                &ema,
                |j, v| match d.get(j) {
                    Some(Some(d)) => d.divide(v),
                    _ => v,
                },
                &incentive,
                &active_stake,
                &mut dividends,
            ),
            ColumnDivisors::Many(d) => yuma3_dividends_exact(
                &ema,
                d,
                &incentive,
                &active_stake,
                &mut dividends,
                splitting.for_entries(ema.nnz()),
            ),
        }
        normalize(&mut dividends);
        if let Some(t) = trace.as_deref_mut() {
            t.ema_bonds_i32f32 = Some(ema.to_trace()?);
            t.ema_bonds_final_i32f32 = Some(ema.to_trace()?);
        }
        stored_bonds = ema;
    } else {
        // §4.11 original Yuma.
        let integer = |v: u16| I32F32::from_bits(i64::from(v) << 32);
        let bond_kept: Vec<bool> = (0..n)
            .map(|j| last_tempo > registration.get(j).copied().unwrap_or(0))
            .collect();
        let bond_sums = stored_bond_sums((0..n).map(|i| input.bonds.row(i)), &bond_kept);
        let bond_totals = column_divisors(&bond_sums, input.bonds.nnz());
        let prepared = |j: usize, v: u16| divide_by_column(&bond_totals, j, integer(v));
        if let Some(t) = trace.as_deref_mut() {
            let mut rows = SparseRows::with_capacity(n, 0);
            for i in 0..n {
                bonds.for_each(i, |j, v| {
                    rows.push_entry(j as u16, prepared(j, v).to_bits())
                });
                rows.finish_row()?;
            }
            t.bonds_prepared_i32f32 = Some(rows);
        }
        // ΔB = W_b ∘ S, column-normalised on the fly by the sums of the clipping pass.
        let delta_sums = delta_totals.unwrap_or_default();
        let delta_totals = column_divisors(&delta_sums, input.weights.nnz());
        let mut delta_trace = trace.is_some().then(|| SparseRows::with_capacity(n, 0));
        let bma = I64F64::saturating_from_num(input.bonds_moving_average);
        let bma = safe_div(bma, I64F64::from_bits(1_000_000_i128 << 64));
        let alpha = I32F32::ONE.saturating_sub(I32F32::saturating_from_num(bma));
        let mut ema = Csr::reusing(mem::take(&mut ema_buffers), n, input.bonds.nnz());
        let one_minus_alpha = I32F32::ONE.saturating_sub(alpha);
        let yuma_ema = if delta_trace.is_none() {
            let bond_kept: Vec<bool> = registration.iter().map(|&r| last_tempo > r).collect();
            YumaEma::new(
                &consensus,
                &delta_sums,
                &bond_sums,
                &bond_kept,
                penalty,
                alpha,
            )
        } else {
            None
        };
        let mut spread = Spread::default();
        for i in 0..n {
            let s = active_stake.get(i).copied().unwrap_or(I32F32::ZERO);
            let bond_row = input.bonds.row(i);
            if let (Some((w_entries, w_values)), None) = (weights.aligned_row(i), &delta_trace) {
                // Rows of different columns that together hold at least half of them:
                // laid over every column, they take the integer steps of a full row.
                let same = same_columns(w_entries, bond_row);
                let spreads = !same
                    && Spread::pays_off(w_entries.len(), bond_row.len(), n)
                    && strictly_ascending(bond_row);
                if let (true, Some(fast), Some(parts)) = (spreads, &yuma_ema, ema.narrow_parts()) {
                    let row = (w_entries, w_values);
                    let done = spread.with(n, row, bond_row, |spread| {
                        fast.row((&spread.entries, &spread.weights), &spread.bonds, s, parts)
                    });
                    if done {
                        ema.finish_row()?;
                        continue;
                    }
                }
                if same {
                    if let (Some(fast), Some(parts)) = (&yuma_ema, ema.narrow_parts()) {
                        if fast.row((w_entries, w_values), bond_row, s, parts) {
                            ema.finish_row()?;
                            continue;
                        }
                    }
                    // The usual full row: weights and bonds list the same columns, so
                    // ΔB's row and the prepared bonds zip (a masked weight is 0 here,
                    // which adds nothing to the EMA, as in `ema_row`).
                    for ((&(j, _), &v), &(_, b)) in w_entries.iter().zip(w_values).zip(bond_row) {
                        let column = usize::from(j);
                        let (Some(&c), Some(&registered)) =
                            (consensus.get(column), registration.get(column))
                        else {
                            continue;
                        };
                        let a = if v == MASKED {
                            I32F32::ZERO
                        } else {
                            I32F32::from_bits(i64::from(v))
                        };
                        let clipped = clip(a, c).unwrap_or(I32F32::ZERO);
                        let wb = weight_for_bonds(a, clipped, penalty);
                        let delta = divide_by_column(&delta_totals, column, mul(wb, s));
                        let mut e = mul(alpha, delta);
                        if last_tempo > registered {
                            e = e.saturating_add(mul(one_minus_alpha, prepared(column, b)));
                        }
                        if e > I32F32::ZERO {
                            ema.push(j, e);
                        }
                    }
                    ema.finish_row()?;
                    continue;
                }
            }
            weights_for_bonds.row(i, &mut wb_row);
            let (new, old) = (&mut ema_work.new, &mut ema_work.old);
            new.clear();
            for &(j, w) in &wb_row {
                let d = divide_by_column(&delta_totals, usize::from(j), mul(w, s));
                if let Some(rows) = delta_trace.as_mut() {
                    rows.push_entry(j, d.to_bits());
                }
                new.push((j, d));
            }
            old.clear();
            bonds.for_each(i, |j, v| old.push((j as u16, prepared(j, v))));
            ema_row(&mut ema_work, alpha, &mut ema)?;
            if let Some(rows) = delta_trace.as_mut() {
                rows.finish_row()?;
            }
        }
        // The column normalisation, the dividends and (below) the upscale take exact
        // integer steps on a narrow EMA (`narrow_columns`), the general ones otherwise.
        if narrow_columns::normalise(&mut ema, n).is_none() {
            column_sums(n, |f| ema.for_each(&mut *f), &mut column_totals);
            let column_totals = column_divisors(&column_totals, ema.nnz());
            ema.map_in_place(|j, v| divide_by_column(&column_totals, j, v));
        }
        if let Some(sums) = narrow_columns::weighted_row_sums(&ema, &incentive) {
            for (d, s) in dividends.iter_mut().zip(sums) {
                *d = s;
            }
        } else {
            for (i, d) in dividends.iter_mut().enumerate() {
                let mut total = I32F32::ZERO;
                ema.for_each_in_row(i, |j, e| {
                    let inc = incentive.get(j).copied().unwrap_or(I32F32::ZERO);
                    total = total.saturating_add(mul(inc, e));
                });
                *d = total;
            }
        }
        normalize(&mut dividends);
        if let Some(t) = trace.as_deref_mut() {
            t.bonds_delta_i32f32 = delta_trace.take();
            t.ema_bonds_i32f32 = Some(ema.to_trace()?);
        }
        // Column max-upscale for storage.
        if narrow_columns::upscale(&mut ema, n).is_none() {
            let mut column_max = vec![I32F32::ZERO; n];
            ema.for_each(|j, v| {
                if let Some(m) = column_max.get_mut(j) {
                    *m = (*m).max(v);
                }
            });
            let column_max = column_divisors(&column_max, ema.nnz());
            ema.map_in_place(|j, v| divide_by_column(&column_max, j, v));
        }
        if let Some(t) = trace.as_deref_mut() {
            t.ema_bonds_final_i32f32 = Some(ema.to_trace()?);
        }
        stored_bonds = ema;
    }
    if let Some(t) = trace.as_deref_mut() {
        t.dividends_i32f32 = Some(bits32(&dividends));
    }

    // The weights are done with: free them before the output bonds are built next to
    // the EMA matrix (that moment is the epoch's peak heap).
    drop(weights_for_bonds);
    let values = weights.into_values();
    match scratch.as_deref_mut() {
        Some(s) => s.values = values,
        None => drop(values),
    }

    // §4.13 emission.
    let combined: Vec<I32F32> = incentive
        .iter()
        .zip(&dividends)
        .map(|(i, d)| i.saturating_add(*d))
        .collect();
    let emission_sum = wrapping_sum(&combined);
    let mut server = incentive.clone();
    let mut validator = dividends.clone();
    if emission_sum != I32F32::ZERO {
        for v in server.iter_mut().chain(validator.iter_mut()) {
            *v = safe_div(*v, emission_sum);
        }
    }
    let mut combined_norm = combined;
    normalize(&mut combined_norm);
    if emission_sum == I32F32::ZERO {
        let fallback = if wrapping_sum(&active_stake) == I32F32::ZERO {
            &stake
        } else {
            &active_stake
        };
        validator.clone_from(fallback);
        combined_norm.clone_from(fallback);
    }
    if let Some(t) = trace {
        t.normalized_server_emission_i32f32 = Some(bits32(&server));
        t.normalized_validator_emission_i32f32 = Some(bits32(&validator));
        t.normalized_combined_emission_i32f32 = Some(bits32(&combined_norm));
    }

    // §5 outputs.
    let rao = input.rao_emission;
    let at = |v: &[I32F32], i: usize| v.get(i).copied().unwrap_or(I32F32::ZERO);
    let mut terms = Vec::with_capacity(n);
    let mut out_bonds = SparseRows::with_capacity(n, stored_bonds.nnz());
    for i in 0..n {
        let permit_next = new_permit.get(i).copied().unwrap_or(false);
        if !has_hotkey(i) {
            terms.push(None);
            out_bonds.finish_row()?;
            continue;
        }
        terms.push(Some(NeuronTerms {
            uid: i as u16,
            incentive: proportion_to_u16(at(&incentive, i)),
            dividend: proportion_to_u16(at(&dividends, i)),
            consensus: proportion_to_u16(at(&consensus, i)),
            validator_trust: proportion_to_u16(at(&validator_trust, i)),
            stake_weight: proportion_to_u16(at(&stake, i)),
            active: !inactive.get(i).copied().unwrap_or(false),
            new_validator_permit: permit_next,
            server_emission: emission_share(at(&server, i), rao),
            validator_emission: emission_share(at(&validator, i), rao),
            emission: emission_share(at(&combined_norm, i), rao),
            stake: stake_u64.get(i).copied().unwrap_or(0),
        }));
        if !permit_next {
            out_bonds.finish_row()?;
        } else if let Some((cols, vals)) = stored_bonds.narrow_row(i) {
            // The usual narrow EMA, every value a proportion: written by position.
            out_bonds.push_row_filled(cols.len(), |out| {
                cpu::run(Isa::Best, NarrowRowToU16 { cols, vals, out });
            })?;
        } else {
            stored_bonds.for_each_in_row(i, |j, v| {
                out_bonds.push_entry(j as u16, proportion_to_u16(v))
            });
            out_bonds.finish_row()?;
        }
    }
    if let Some(s) = scratch {
        s.ema = stored_bonds.into_buffers();
    }
    Ok(EpochOutput {
        terms,
        bonds: out_bonds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Rows of `n` columns: full rows (the vectorised loop), rows with gaps, repeats
    /// and columns beyond `n`, and large weights.
    fn stored_rows() -> impl Strategy<Value = (usize, Vec<Vec<(u16, u16)>>)> {
        (1usize..40).prop_flat_map(|n| {
            let full = proptest::collection::vec(any::<u16>(), n).prop_map(|w| {
                w.into_iter()
                    .enumerate()
                    .map(|(j, w)| (j as u16, w))
                    .collect()
            });
            let any_row = proptest::collection::vec((0u16..(n as u16 + 3), any::<u16>()), 0..n + 3);
            let row = prop_oneof![full, any_row];
            (Just(n), proptest::collection::vec(row, n))
        })
    }

    proptest! {
        /// Both compiled copies of the row normalisation give the same forms and slots.
        #[test]
        fn normalise_rows_is_the_same_on_every_instruction_set(
            (n, rows) in stored_rows(),
            registration_seed in any::<u64>(),
            owner in proptest::option::of(0usize..40),
            permits in any::<u64>(),
        ) {
            let stored = SparseRows::from_nested(rows).map_err(|_| TestCaseError::fail("rows"))?;
            let registration: Vec<u64> =
                (0..n as u64).map(|i| registration_seed.rotate_left(i as u32) % 8).collect();
            let last_update: Vec<u64> = (0..n as u64).map(|i| (i * 7) % 9).collect();
            let masks = RowMasks {
                registration: &registration,
                owner,
                last_update: &last_update,
                commits: None,
            };
            let permitted = |i: usize| permits >> (i % 64) & 1 == 1;
            let run = |isa| {
                let mut slots = vec![0u32; stored.nnz()];
                let kernel = NormaliseRows {
                    masks: &masks,
                    stored: &stored,
                    rows: 0..n,
                    permitted: &permitted,
                    first_entry: 0,
                    slots: &mut slots,
                };
                let forms = cpu::run(isa, kernel);
                (forms, slots)
            };
            prop_assert_eq!(run(Isa::Baseline), run(Isa::Best));
        }

        /// Rows of the same columns, or with one column changed anywhere (at the
        /// kernel's chunk boundaries too), or of another length.
        #[test]
        fn same_columns_is_the_same_on_every_instruction_set(
            row in proptest::collection::vec(any::<u16>(), 0..300),
            at in prop_oneof![Just(63usize), Just(64), Just(65), Just(128), any::<usize>()],
            change in 0u8..3,
        ) {
            let a: Vec<(u16, u16)> = row.iter().map(|&j| (j, 7)).collect();
            let mut b: Vec<(u16, u32)> = row.iter().map(|&j| (j, 9)).collect();
            match change {
                0 => {}
                1 if !b.is_empty() => {
                    let at = at % b.len();
                    b[at].0 = b[at].0.wrapping_add(1);
                }
                _ => {
                    b.push((0, 0));
                }
            }
            let expected = a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.0 == y.0);
            prop_assert_eq!(same_columns_with(&a, &b, Isa::Baseline), expected);
            prop_assert_eq!(same_columns_with(&a, &b, Isa::Best), expected);
        }

        #[test]
        fn strictly_ascending_is_the_same_on_every_instruction_set(
            row in proptest::collection::vec((0u16..50, Just(())), 0..80),
        ) {
            let expected = row.windows(2).all(|w| w[0].0 < w[1].0);
            prop_assert_eq!(strictly_ascending_with(&row, Isa::Baseline), expected);
            prop_assert_eq!(strictly_ascending_with(&row, Isa::Best), expected);
        }

        /// Long ascending rows with one repeat placed anywhere, at the kernel's chunk
        /// boundaries (64 columns) too.
        #[test]
        fn one_repeat_anywhere_is_not_ascending(
            len in 1usize..300,
            at in prop_oneof![Just(63usize), Just(64), Just(65), Just(128), Just(256), any::<usize>()],
            repeat in any::<bool>(),
        ) {
            let mut row: Vec<(u16, ())> = (0..len).map(|j| (j as u16 * 2, ())).collect();
            let at = at % len;
            if repeat && at > 0 {
                row[at].0 = row[at - 1].0;
            }
            let expected = !(repeat && at > 0);
            prop_assert_eq!(strictly_ascending_with(&row, Isa::Baseline), expected);
            prop_assert_eq!(strictly_ascending_with(&row, Isa::Best), expected);
        }
    }
}
