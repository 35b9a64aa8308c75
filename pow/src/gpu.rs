//! The GPU backend: a wgpu compute shader (WGSL, 32-bit integers only) that hashes and
//! tests a batch of nonces per dispatch.
//!
//! Per dispatch every nonce shares its high 32 bits; the host cuts batches at low-word
//! carries (which also splits a range wrapping at `u64::MAX`). The shader runs the full
//! seal chain and the exact 256-bit difficulty test under either byte-order rule, and
//! keeps the smallest solving offset with `atomicMax` on its complement. The host walks batches in nonce
//! order, so the first hit is the first solution of the range; it recomputes that seal
//! on the CPU before returning it.
//!
//! Any Vulkan, Metal or DX12 adapter with WebGPU's downlevel limits runs it; no optional
//! feature is requested.

use core::fmt;
use std::string::{String, ToString};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::difficulty::Rule;
use crate::scalar::Scalar;
use crate::search::{Backend, Control, Job, NonceRange, Outcome, Report, Solution};

/// The WGSL source of the seal search kernel.
const SHADER: &str = include_str!("gpu.wgsl");

/// Invocations per workgroup (`WORKGROUP_SIZE` in the shader).
const WORKGROUP_SIZE: u64 = 64;
/// Nonces per invocation (`NONCES_PER_INVOCATION` in the shader).
const NONCES_PER_INVOCATION: u64 = 16;
/// Nonces per workgroup.
const NONCES_PER_WORKGROUP: u64 = WORKGROUP_SIZE * NONCES_PER_INVOCATION;
/// The downlevel limit on workgroups in one dimension of a dispatch.
const MAX_WORKGROUPS: u64 = 65_535;

/// The batch the adaptive size starts from and never goes below (64 workgroups).
pub const MIN_BATCH: u64 = NONCES_PER_WORKGROUP * 64;
/// The largest batch one dispatch can cover.
pub const MAX_BATCH: u64 = NONCES_PER_WORKGROUP * MAX_WORKGROUPS;
// Offsets inside a dispatch are u32 in the shader.
const _: () = assert!(MAX_BATCH <= u32::MAX as u64);

/// The adaptive batch doubles after a dispatch shorter than this and halves after one
/// longer than [`SLOW_DISPATCH`]: dispatches of about 12–50 ms hide the submit and
/// read-back latency and still see a new block or Ctrl-C quickly.
const FAST_DISPATCH: Duration = Duration::from_millis(12);
/// See [`FAST_DISPATCH`].
const SLOW_DISPATCH: Duration = Duration::from_millis(50);

/// A dispatch that has not finished after this long counts as a GPU failure (a hung or
/// lost device); the search then goes on with the CPU.
const DISPATCH_TIMEOUT: Duration = Duration::from_secs(60);

/// Size of the parameter block (`Params` in the shader): 4 × vec4 + 4 × u32.
const PARAMS_SIZE: usize = 80;
/// The result word when no nonce of the dispatch solves (the shader stores
/// `u32::MAX − offset` with `atomicMax`, so zeroing the buffer resets it).
const NO_HIT: u32 = 0;

/// Why the GPU backend could not start or run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GpuError {
    /// This build has no wgpu backend for the target platform.
    NoBackend,
    /// No Vulkan, Metal or DX12 adapter was found (the text is wgpu's reason).
    NoAdapter(String),
    /// The adapter refused to open a device with the downlevel limits.
    Device(String),
    /// Shader compilation, pipeline creation or a dispatch failed.
    Pipeline(String),
    /// Reading the dispatch result back from the GPU failed (device lost, timeout).
    Readback(String),
    /// The kernel reported this nonce as a solution and the CPU disagrees (a driver or
    /// kernel bug; the search redid that batch and went on with the CPU).
    WrongSolution(u64),
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoBackend => f.write_str("gpu: this build has no wgpu backend for this platform"),
            Self::NoAdapter(why) => write!(f, "gpu: no Vulkan/Metal/DX12 adapter found: {why}"),
            Self::Device(why) => write!(f, "gpu: could not open a device: {why}"),
            Self::Pipeline(why) => write!(f, "gpu: compute pipeline failed: {why}"),
            Self::Readback(why) => write!(f, "gpu: reading the result failed: {why}"),
            Self::WrongSolution(nonce) => {
                write!(f, "gpu: the kernel's solution {nonce} fails on the CPU")
            }
        }
    }
}

impl std::error::Error for GpuError {}

/// Buffers and the failure flag, used by one search at a time.
struct Session {
    /// Host-writable copy of the parameters, copied into `params` by each command
    /// buffer (one fixed staging buffer instead of one per `Queue::write_buffer`).
    upload: wgpu::Buffer,
    params: wgpu::Buffer,
    result: wgpu::Buffer,
    readback: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    /// The first GPU failure; later searches run on the CPU.
    failure: Option<GpuError>,
}

/// A wgpu compute pipeline on one adapter.
///
/// Searches from several threads are serialised (one set of buffers). If the GPU fails
/// during a search (device lost, readback error) the rest of the range is searched with
/// [`Scalar`], so the answer stays exact; [`Gpu::failure`] tells that it happened.
pub struct Gpu {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    adapter: wgpu::AdapterInfo,
    /// A fixed batch size, or `None` to adapt.
    fixed_batch: Option<u64>,
    session: Mutex<Session>,
    /// Errors wgpu reports outside any call (validation, out of memory).
    uncaptured: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for Gpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gpu")
            .field("adapter", &self.adapter.name)
            .field("backend", &self.adapter.backend)
            .field("fixed_batch", &self.fixed_batch)
            .finish_non_exhaustive()
    }
}

impl Gpu {
    /// Opens the first adapter wgpu offers (low-power preference, software adapters
    /// allowed) with the downlevel limits and no optional feature, and compiles the kernel.
    pub fn new() -> Result<Self, GpuError> {
        pollster::block_on(Self::open())
    }

    async fn open() -> Result<Self, GpuError> {
        if wgpu::Instance::enabled_backend_features().is_empty() {
            return Err(GpuError::NoBackend);
        }
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends: wgpu::Backends::VULKAN | wgpu::Backends::METAL | wgpu::Backends::DX12,
            ..wgpu::InstanceDescriptor::new_without_display_handle()
        });
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::LowPower,
                force_fallback_adapter: false,
                compatible_surface: None,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("taolite-pow"),
                required_features: wgpu::Features::empty(),
                required_limits: wgpu::Limits::downlevel_defaults(),
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;

        let uncaptured = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&uncaptured);
        device.on_uncaptured_error(Arc::new(move |error: wgpu::Error| {
            if let Ok(mut slot) = slot.lock() {
                slot.get_or_insert_with(|| error.to_string());
            }
        }));

        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("taolite-pow seal search"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("taolite-pow bindings"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: true },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: false },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("taolite-pow layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("taolite-pow seal search"),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some("search"),
            compilation_options: Default::default(),
            cache: None,
        });
        let params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("taolite-pow params"),
            size: PARAMS_SIZE as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let upload = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("taolite-pow params upload"),
            size: PARAMS_SIZE as u64,
            usage: wgpu::BufferUsages::MAP_WRITE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let result = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("taolite-pow first hit"),
            size: 4,
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_DST
                | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("taolite-pow readback"),
            size: 4,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("taolite-pow bindings"),
            layout: &layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: params.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: result.as_entire_binding(),
                },
            ],
        });
        if let Some(error) = scope.pop().await {
            return Err(GpuError::Pipeline(error.to_string()));
        }

        Ok(Self {
            device,
            queue,
            pipeline,
            adapter: adapter.get_info(),
            fixed_batch: None,
            session: Mutex::new(Session {
                upload,
                params,
                result,
                readback,
                bind_group,
                failure: None,
            }),
            uncaptured,
        })
    }

    /// Uses `batch` nonces per dispatch (at least 1, at most [`MAX_BATCH`]) instead of
    /// starting each search at [`MIN_BATCH`] and adapting to 12–50 ms per dispatch (tests use small batches to cross batch
    /// boundaries; a miner should keep the default).
    pub fn with_batch(mut self, batch: u64) -> Self {
        self.fixed_batch = Some(batch.clamp(1, MAX_BATCH));
        self
    }

    /// The adapter's name and API, for logs (for lavapipe: `"llvmpipe (LLVM …, 256 bits) (Vulkan)"`).
    pub fn adapter_name(&self) -> String {
        std::format!("{} ({:?})", self.adapter.name, self.adapter.backend)
    }

    /// Whether the adapter is a CPU implementation (lavapipe, WARP, SwiftShader).
    pub fn is_software(&self) -> bool {
        self.adapter.device_type == wgpu::DeviceType::Cpu
    }

    /// The GPU failure that made searches fall back to the CPU, if one happened.
    pub fn failure(&self) -> Option<GpuError> {
        self.session
            .lock()
            .ok()
            .and_then(|session| session.failure.clone())
    }

    /// Runs one dispatch over `count` nonces from `(high, low)`; `low + count ≤ 2^32`.
    /// Returns the smallest solving offset.
    fn dispatch(
        &self,
        session: &Session,
        job: &Job,
        high: u32,
        low: u32,
        count: u32,
    ) -> Result<Option<u32>, GpuError> {
        self.map(&session.upload, wgpu::MapMode::Write)?;
        let written = session
            .upload
            .slice(..)
            .get_mapped_range_mut()
            .map(|mut view| {
                // The upload buffer is exactly PARAMS_SIZE bytes.
                if view.len() == PARAMS_SIZE {
                    view.copy_from_slice(&params_bytes(job, high, low, count));
                }
            })
            .map_err(|e| GpuError::Readback(e.to_string()));
        session.upload.unmap();
        written?;
        let workgroups = u64::from(count).div_ceil(NONCES_PER_WORKGROUP);
        let workgroups = u32::try_from(workgroups.min(MAX_WORKGROUPS)).unwrap_or(u32::MAX);

        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("taolite-pow batch"),
            });
        encoder.copy_buffer_to_buffer(&session.upload, 0, &session.params, 0, PARAMS_SIZE as u64);
        encoder.clear_buffer(&session.result, 0, None);
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("taolite-pow search"),
                timestamp_writes: None,
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &session.bind_group, &[]);
            pass.dispatch_workgroups(workgroups, 1, 1);
        }
        encoder.copy_buffer_to_buffer(&session.result, 0, &session.readback, 0, 4);
        self.queue.submit([encoder.finish()]);

        self.map(&session.readback, wgpu::MapMode::Read)?;
        let word = session
            .readback
            .slice(..)
            .get_mapped_range()
            .map_err(|e| GpuError::Readback(e.to_string()))
            .map(|view| {
                let bytes = view.get(..4).and_then(|b| b.try_into().ok());
                u32::from_le_bytes(bytes.unwrap_or([0xff; 4]))
            });
        session.readback.unmap();
        let word = word?;
        if let Some(error) = self.uncaptured.lock().ok().and_then(|slot| slot.clone()) {
            return Err(GpuError::Pipeline(error));
        }
        Ok((word != NO_HIT).then(|| u32::MAX.wrapping_sub(word)))
    }

    /// Maps `buffer` for the host, waiting for the GPU work that uses it to finish.
    fn map(&self, buffer: &wgpu::Buffer, mode: wgpu::MapMode) -> Result<(), GpuError> {
        let (sender, receiver) = mpsc::channel();
        buffer.slice(..).map_async(mode, move |mapped| {
            let _ = sender.send(mapped);
        });
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: None,
                timeout: Some(DISPATCH_TIMEOUT),
            })
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        match receiver.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(GpuError::Readback(e.to_string())),
            Err(_) => Err(GpuError::Readback("map callback dropped".into())),
        }
    }

    /// Searches one batch that does not cross a low-word carry on the GPU, and checks its
    /// answer on the CPU.
    fn run_batch(
        &self,
        session: &Session,
        job: &Job,
        batch: NonceRange,
    ) -> Result<Option<Solution>, GpuError> {
        let high = (batch.start >> 32) as u32;
        let low = batch.start as u32;
        let count = u32::try_from(batch.count).unwrap_or(u32::MAX);
        let Some(offset) = self.dispatch(session, job, high, low, count)? else {
            return Ok(None);
        };
        let nonce = batch.nonce_at(u64::from(offset));
        match job.check(nonce) {
            Some(solution) => Ok(Some(solution)),
            None => Err(GpuError::WrongSolution(nonce)),
        }
    }
}

/// The next adaptive batch size after a full dispatch of `batch` nonces took `took`:
/// doubled below 12 ms, halved above 50 ms.
fn next_batch(batch: u64, took: Duration) -> u64 {
    if took < FAST_DISPATCH {
        batch.saturating_mul(2).min(MAX_BATCH)
    } else if took > SLOW_DISPATCH {
        (batch / 2).max(MIN_BATCH)
    } else {
        batch
    }
}

/// The shader's `Params` block: BH as big-endian words, the limit's 32-bit words least
/// significant first, then the nonce high word, low word, count and rule.
fn params_bytes(job: &Job, high: u32, low: u32, count: u32) -> [u8; PARAMS_SIZE] {
    let mut words = [0u32; PARAMS_SIZE / 4];
    let (bh, rest) = words.split_at_mut(8);
    for (word, chunk) in bh
        .iter_mut()
        .zip(job.work.block_and_key_hash().chunks_exact(4))
    {
        *word = u32::from_be_bytes(chunk.try_into().unwrap_or([0; 4]));
    }
    let (limit, tail) = rest.split_at_mut(8);
    for (pair, limb) in limit.chunks_exact_mut(2).zip(job.target.limbs()) {
        if let [low_word, high_word] = pair {
            *low_word = limb as u32;
            *high_word = (limb >> 32) as u32;
        }
    }
    let rule = match job.rule {
        Rule::LittleEndian => 0,
        Rule::LegacyBigEndian => 1,
    };
    for (slot, value) in tail.iter_mut().zip([high, low, count, rule]) {
        *slot = value;
    }
    let mut bytes = [0u8; PARAMS_SIZE];
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    bytes
}

impl Backend for Gpu {
    fn name(&self) -> &'static str {
        "gpu"
    }

    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report {
        let mut session = match self.session.lock() {
            Ok(session) => session,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Every search starts small and grows, so a short or cancelled search computes
        // few seals past its end or stop request.
        let mut batch = self.fixed_batch.unwrap_or(MIN_BATCH);
        let mut done = 0u64;
        while done < range.count {
            if session.failure.is_some() {
                let rest = Scalar.search(job, range.sub_range(done, u64::MAX), control);
                return Report {
                    outcome: rest.outcome,
                    hashes: done.saturating_add(rest.hashes),
                };
            }
            if control.should_stop() {
                return Report {
                    outcome: Outcome::Stopped,
                    hashes: done,
                };
            }
            let start = range.nonce_at(done);
            // Stop at the next low-word carry (this also splits a wrap at u64::MAX).
            let to_carry = (1u64 << 32).saturating_sub(start & 0xffff_ffff);
            let count = batch
                .min(range.count.saturating_sub(done))
                .min(to_carry)
                .min(MAX_BATCH);
            let began = Instant::now();
            match self.run_batch(&session, job, NonceRange::new(start, count)) {
                Ok(found) => {
                    if self.fixed_batch.is_none() && count == batch {
                        batch = next_batch(batch, began.elapsed());
                    }
                    control.progress(count);
                    done = done.saturating_add(count);
                    if let Some(solution) = found {
                        return Report {
                            outcome: Outcome::Found(solution),
                            hashes: done,
                        };
                    }
                }
                Err(error) => session.failure = Some(error),
            }
        }
        Report {
            outcome: Outcome::Exhausted,
            hashes: done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::difficulty::Difficulty;
    use crate::work::Work;

    /// The Rust side sizes dispatches with the shader's constants; they must agree.
    #[test]
    fn shader_constants_match() {
        let workgroup = std::format!("const WORKGROUP_SIZE: u32 = {WORKGROUP_SIZE}u;");
        let per_invocation =
            std::format!("const NONCES_PER_INVOCATION: u32 = {NONCES_PER_INVOCATION}u;");
        assert!(SHADER.contains(&workgroup), "{workgroup}");
        assert!(SHADER.contains(&per_invocation), "{per_invocation}");
    }

    /// `Params` layout: BH big-endian words, limit words least significant first, then
    /// nonce high, nonce low, count, rule, all little-endian u32.
    #[test]
    fn params_layout() {
        let mut bh = [0u8; 32];
        for (i, byte) in bh.iter_mut().enumerate() {
            *byte = i as u8;
        }
        let job = Job::new(
            Work::from_block_and_key_hash(bh),
            &Difficulty::from_u64(2),
            Rule::LegacyBigEndian,
        );
        let bytes = params_bytes(&job, 0x0102_0304, 0xa0b0_c0d0, 77);
        let word = |i: usize| u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap());
        assert_eq!(word(0), 0x0001_0203);
        assert_eq!(word(7), 0x1c1d_1e1f);
        // ⌊(2^256 − 1) / 2⌋ = 2^255 − 1.
        for i in 8..15 {
            assert_eq!(word(i), u32::MAX, "limit word {i}");
        }
        assert_eq!(word(15), u32::MAX >> 1);
        assert_eq!(word(16), 0x0102_0304);
        assert_eq!(word(17), 0xa0b0_c0d0);
        assert_eq!(word(18), 77);
        assert_eq!(word(19), 1);
    }
}
