//! The runtime's transaction extensions, flattened in order (spec 425):
//! CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality,
//! CheckNonce, CheckWeight, ChargeTransactionPayment, SudoTransactionExtension,
//! CheckShieldedTxValidity, SubtensorTransactionExtension, DrandPriority,
//! CheckMetadataHash.
//!
//! Only four of them put bytes in the extrinsic ([`Explicit`]: era, nonce, tip,
//! metadata-hash mode); five more are signed but not sent ([`Implicit`]).

use parity_scale_codec::Output;
use taolite_core::H256;

use crate::era::Era;
use crate::error::DecodeError;
use crate::scale::{write_compact_u32, write_compact_u64, Counter, Reader};

/// CheckMetadataHash's mode byte.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MetadataHashMode {
    /// `0`: no metadata hash is signed (always accepted).
    Disabled,
    /// `1`: the signature also covers the runtime's RFC-0078 metadata digest.
    Enabled,
}

/// The extension bytes carried inside a signed extrinsic (and signed).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Explicit {
    /// CheckMortality.
    pub era: Era,
    /// CheckNonce: the sender's account nonce.
    pub nonce: u32,
    /// ChargeTransactionPayment: tip in rao.
    pub tip: u64,
    /// CheckMetadataHash mode.
    pub metadata_hash_mode: MetadataHashMode,
}

/// Longest [`Explicit`] encoding: era 2 + compact u32 5 + compact u64 9 + mode 1.
pub const MAX_EXPLICIT_LEN: usize = 17;

impl Explicit {
    /// Appends `era ++ Compact(nonce) ++ Compact(tip) ++ mode`.
    pub fn encode_to(&self, out: &mut dyn Output) {
        self.era.encode_to(out);
        write_compact_u32(self.nonce, out);
        write_compact_u64(self.tip, out);
        out.push_byte(match self.metadata_hash_mode {
            MetadataHashMode::Disabled => 0,
            MetadataHashMode::Enabled => 1,
        });
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        let mut c = Counter::default();
        self.encode_to(&mut c);
        c.0
    }

    /// Reads the explicit extension bytes.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let era = Era::decode(r)?;
        let nonce = r.compact::<u32>()?;
        let tip = r.compact::<u64>()?;
        let metadata_hash_mode = match r.u8()? {
            0 => MetadataHashMode::Disabled,
            1 => MetadataHashMode::Enabled,
            index => {
                return Err(DecodeError::UnknownVariant {
                    what: "CheckMetadataHash mode",
                    index,
                })
            }
        };
        Ok(Self {
            era,
            nonce,
            tip,
            metadata_hash_mode,
        })
    }
}

/// The extension data that is signed but not sent: the chain supplies it itself.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Implicit {
    /// CheckSpecVersion.
    pub spec_version: u32,
    /// CheckTxVersion.
    pub transaction_version: u32,
    /// CheckGenesis.
    pub genesis_hash: H256,
    /// CheckMortality: hash of the era's birth block (the genesis hash when immortal).
    pub birth_block_hash: H256,
    /// CheckMetadataHash: `Some` exactly when the mode is enabled.
    pub metadata_hash: Option<[u8; 32]>,
}

/// Longest [`Implicit`] encoding: 4 + 4 + 32 + 32 + 33.
pub const MAX_IMPLICIT_LEN: usize = 105;

impl Implicit {
    /// Appends `spec ++ tx_version ++ genesis ++ birth_hash ++ Option(metadata_hash)`.
    pub fn encode_to(&self, out: &mut dyn Output) {
        out.write(&self.spec_version.to_le_bytes());
        out.write(&self.transaction_version.to_le_bytes());
        out.write(&self.genesis_hash.0);
        out.write(&self.birth_block_hash.0);
        match &self.metadata_hash {
            None => out.push_byte(0),
            Some(hash) => {
                out.push_byte(1);
                out.write(hash);
            }
        }
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        if self.metadata_hash.is_some() {
            MAX_IMPLICIT_LEN
        } else {
            MAX_IMPLICIT_LEN.saturating_sub(32)
        }
    }
}

/// Everything a signer decides besides the call: the inputs of both extension parts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TxParams {
    /// The sender's next nonce.
    pub nonce: u32,
    /// Tip in rao.
    pub tip: u64,
    /// Mortality.
    pub era: Era,
    /// Runtime `spec_version` (read it from the node; 425 for the pinned runtime).
    pub spec_version: u32,
    /// Runtime `transaction_version` (1 since 2023).
    pub transaction_version: u32,
    /// The chain's genesis hash.
    pub genesis_hash: H256,
    /// Hash of the era's birth block; ignored when the era is immortal (the chain then
    /// signs over the genesis hash).
    pub birth_block_hash: H256,
    /// The runtime's metadata digest to sign (mode 1), or `None` for mode 0.
    pub metadata_hash: Option<[u8; 32]>,
}

/// The Finney (mainnet) genesis hash.
pub const FINNEY_GENESIS: H256 = H256([
    0x2f, 0x05, 0x55, 0xcc, 0x76, 0xfc, 0x28, 0x40, 0xa2, 0x5a, 0x6e, 0xa3, 0xb9, 0x63, 0x71, 0x46,
    0x80, 0x6f, 0x1f, 0x44, 0xb0, 0x90, 0xc1, 0x75, 0xff, 0xde, 0x2a, 0x7e, 0x5a, 0xb3, 0x6c, 0x03,
]);

impl TxParams {
    /// Immortal mainnet parameters for spec 425 with nonce `nonce`, no tip, mode 0.
    pub fn finney_immortal(nonce: u32) -> Self {
        Self {
            nonce,
            tip: 0,
            era: Era::Immortal,
            spec_version: 425,
            transaction_version: 1,
            genesis_hash: FINNEY_GENESIS,
            birth_block_hash: FINNEY_GENESIS,
            metadata_hash: None,
        }
    }

    /// The explicit part.
    pub fn explicit(&self) -> Explicit {
        Explicit {
            era: self.era,
            nonce: self.nonce,
            tip: self.tip,
            metadata_hash_mode: match self.metadata_hash {
                None => MetadataHashMode::Disabled,
                Some(_) => MetadataHashMode::Enabled,
            },
        }
    }

    /// The implicit part.
    pub fn implicit(&self) -> Implicit {
        Implicit {
            spec_version: self.spec_version,
            transaction_version: self.transaction_version,
            genesis_hash: self.genesis_hash,
            birth_block_hash: match self.era {
                Era::Immortal => self.genesis_hash,
                Era::Mortal(_) => self.birth_block_hash,
            },
            metadata_hash: self.metadata_hash,
        }
    }
}
