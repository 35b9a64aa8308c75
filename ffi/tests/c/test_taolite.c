/* C test suite of the taolite C ABI. Compiled with -Wall -Wextra -Werror -pedantic,
 * run normally and under AddressSanitizer + UndefinedBehaviorSanitizer by .ci/run. */
#include "taolite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
    do {                                                                       \
        checks++;                                                              \
        if (!(cond)) {                                                         \
            failures++;                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define CHECK_STATUS(call, expected) CHECK((call) == (expected))

static void to_hex(const uint8_t *bytes, size_t len, char *out) {
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

#define ALICE_SS58_LITERAL "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
static const char ALICE_SS58[] = ALICE_SS58_LITERAL;
static const char ALICE_HEX[] =
    "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

/* Reads a whole file into a NUL-terminated heap buffer; exits on failure. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    data[size] = '\0';
    *len = (size_t)size;
    return data;
}

/* Calls a (out, out_len, out_written) function twice: once to learn the size, once
 * into a heap buffer of that size. Returns the buffer (caller frees) or NULL. */
typedef TaoliteStatus (*sized_call)(const void *ctx, uint8_t *out, size_t out_len, size_t *written);

static uint8_t *call_sized(sized_call f, const void *ctx, size_t *len, TaoliteStatus *status) {
    size_t needed = 0;
    uint8_t *buf;
    *status = f(ctx, NULL, 0, &needed);
    if (*status != TAOLITE_STATUS_BUFFER_TOO_SMALL && *status != TAOLITE_STATUS_OK) {
        return NULL;
    }
    buf = malloc(needed + 1);
    if (buf == NULL) {
        exit(2);
    }
    *status = f(ctx, buf, needed, len);
    if (*status != TAOLITE_STATUS_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

typedef struct {
    const char *text;
    size_t len;
} text_arg;

static TaoliteStatus input_from_json(const void *ctx, uint8_t *out, size_t out_len, size_t *written) {
    const text_arg *t = ctx;
    return taolite_epoch_input_from_json(t->text, t->len, out, out_len, written);
}

static TaoliteStatus output_from_json(const void *ctx, uint8_t *out, size_t out_len, size_t *written) {
    const text_arg *t = ctx;
    return taolite_epoch_output_from_json(t->text, t->len, out, out_len, written);
}

typedef struct {
    const uint8_t *bytes;
    size_t len;
} bytes_arg;

static TaoliteStatus epoch_run(const void *ctx, uint8_t *out, size_t out_len, size_t *written) {
    const bytes_arg *b = ctx;
    return taolite_epoch_run(b->bytes, b->len, out, out_len, written);
}

static TaoliteStatus output_to_json(const void *ctx, uint8_t *out, size_t out_len, size_t *written) {
    const bytes_arg *b = ctx;
    return taolite_epoch_output_to_json(b->bytes, b->len, (char *)out, out_len, written);
}

/* A well-formed input whose has_hotkey has 1 entry for n = 2: storage cannot hold it. */
static const char BAD_SHAPE_INPUT[] =
    "{\"n\":2,\"current_block\":10,\"tempo\":10,\"activity_cutoff_factor_milli\":5000,"
    "\"last_update\":[],\"has_hotkey\":[true],\"block_at_registration\":[0,0],"
    "\"alpha_stake\":[1,1],\"tao_stake\":[0,0],\"tao_weight\":0,\"stake_threshold\":0,"
    "\"owner_uid\":null,\"validator_permit\":[],\"max_allowed_validators\":2,"
    "\"weights\":[],\"bonds\":[],\"kappa\":32767,\"bonds_penalty\":0,"
    "\"bonds_moving_average\":900000,\"yuma3_enabled\":false,\"liquid_alpha_enabled\":false,"
    "\"alpha_low\":0,\"alpha_high\":0,\"alpha_sigmoid_steepness\":0,"
    "\"commit_reveal_enabled\":false,\"reveal_period\":1,\"current_epoch_index\":0,"
    "\"v2_commits\":[],\"v4_commits\":[],\"last_mechanism_step_block\":0,\"rao_emission\":0}";

/* Runs a sample case end to end, then verifies it against another case's output. */
static void test_epoch(const char *case_path, const char *other_path) {
    size_t json_len = 0, other_len = 0;
    char *json = read_file(case_path, &json_len);
    char *other = read_file(other_path, &other_len);
    text_arg case_text = {json, json_len};
    text_arg other_text = {other, other_len};
    bytes_arg arg;
    TaoliteStatus status;
    size_t input_len = 0, expected_len = 0, computed_len = 0, other_out_len = 0, json_out_len = 0;
    size_t written = 99;
    uint8_t *input_scale, *expected, *computed, *other_expected, *bad_input;
    char *report, *output_json;
    char small[8];
    uint8_t one = 0;

    input_scale = call_sized(input_from_json, &case_text, &input_len, &status);
    CHECK(input_scale != NULL && status == TAOLITE_STATUS_OK);
    expected = call_sized(output_from_json, &case_text, &expected_len, &status);
    CHECK(expected != NULL && status == TAOLITE_STATUS_OK);
    other_expected = call_sized(output_from_json, &other_text, &other_out_len, &status);
    CHECK(other_expected != NULL && status == TAOLITE_STATUS_OK);
    if (input_scale == NULL || expected == NULL || other_expected == NULL) {
        exit(1);
    }

    /* Run: the computed output is byte-identical to the chain's. */
    arg.bytes = input_scale;
    arg.len = input_len;
    computed = call_sized(epoch_run, &arg, &computed_len, &status);
    CHECK(computed != NULL && status == TAOLITE_STATUS_OK);
    CHECK(computed_len == expected_len && computed != NULL && memcmp(computed, expected, expected_len) == 0);

    /* Verify: a match needs no buffer; a mismatch writes a report. */
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, expected, expected_len, NULL, 0, &written),
                 TAOLITE_STATUS_OK);
    CHECK(written == 0);
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, other_expected, other_out_len, NULL, 0, &written),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written > 1);
    report = malloc(written);
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, other_expected, other_out_len, report, written,
                                      &written),
                 TAOLITE_STATUS_EPOCH_MISMATCH);
    CHECK(strstr(report, "expected") != NULL && strlen(report) + 1 == written);
    free(report);

    /* Output to JSON and back gives the same bytes. */
    arg.bytes = expected;
    arg.len = expected_len;
    output_json = (char *)call_sized(output_to_json, &arg, &json_out_len, &status);
    CHECK(output_json != NULL && strstr(output_json, "\"terms\"") != NULL);
    if (output_json != NULL) {
        text_arg back = {output_json, json_out_len - 1};
        size_t back_len = 0;
        uint8_t *again = call_sized(output_from_json, &back, &back_len, &status);
        CHECK(again != NULL && back_len == expected_len && memcmp(again, expected, back_len) == 0);
        free(again);
        free(output_json);
    }

    /* Error paths. */
    CHECK_STATUS(taolite_epoch_run(NULL, 5, NULL, 0, &written), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_run(input_scale, input_len, NULL, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_run(NULL, 0, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_run(input_scale, input_len - 1, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_run(input_scale, 1, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_run(&one, 1, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_run(input_scale, input_len, (uint8_t *)small, sizeof small, &written),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == expected_len);
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, expected, expected_len - 1, NULL, 0, &written),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, NULL, 3, NULL, 0, &written),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_verify(NULL, 3, expected, expected_len, NULL, 0, &written),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_verify(input_scale, input_len, expected, expected_len, NULL, 0, NULL),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_input_from_json("{", 1, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_input_from_json("{\"n\":1}", 7, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_input_from_json("\xff", 1, NULL, 0, &written), TAOLITE_STATUS_INVALID_UTF8);
    CHECK_STATUS(taolite_epoch_input_from_json(NULL, 4, NULL, 0, &written), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_input_from_json(json, json_len, NULL, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_output_from_json("[]", 2, NULL, 0, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_output_from_json(NULL, 1, NULL, 0, &written), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_epoch_output_to_json(input_scale, input_len, NULL, 0, &written),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_epoch_output_to_json(NULL, 2, NULL, 0, &written), TAOLITE_STATUS_NULL_POINTER);
    {
        text_arg bad = {BAD_SHAPE_INPUT, sizeof BAD_SHAPE_INPUT - 1};
        size_t bad_len = 0;
        bad_input = call_sized(input_from_json, &bad, &bad_len, &status);
        CHECK(bad_input != NULL);
        if (bad_input != NULL) {
            CHECK_STATUS(taolite_epoch_run(bad_input, bad_len, NULL, 0, &written), TAOLITE_STATUS_INVALID_ARGUMENT);
            CHECK_STATUS(taolite_epoch_verify(bad_input, bad_len, expected, expected_len, NULL, 0, &written),
                         TAOLITE_STATUS_INVALID_ARGUMENT);
            free(bad_input);
        }
    }

    free(computed);
    free(other_expected);
    free(expected);
    free(input_scale);
    free(other);
    free(json);
}

static void test_hashes(void) {
    uint8_t out[64];
    char hex[129];
    CHECK_STATUS(taolite_sha256(NULL, 0, out), TAOLITE_STATUS_OK);
    to_hex(out, 32, hex);
    CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
    CHECK_STATUS(taolite_keccak256((const uint8_t *)"", 0, out), TAOLITE_STATUS_OK);
    to_hex(out, 32, hex);
    CHECK(strcmp(hex, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") == 0);
    CHECK_STATUS(taolite_twox_128((const uint8_t *)"System", 6, out), TAOLITE_STATUS_OK);
    to_hex(out, 16, hex);
    CHECK(strcmp(hex, "26aa394eea5630e07c48ae0c9558cef7") == 0);
    CHECK_STATUS(taolite_blake2_128((const uint8_t *)"x", 1, out), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_blake2_256((const uint8_t *)"x", 1, out), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_blake2_512((const uint8_t *)"x", 1, out), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_twox_64((const uint8_t *)"x", 1, out), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_twox_256((const uint8_t *)"x", 1, out), TAOLITE_STATUS_OK);
    /* Error paths: NULL data with a length, NULL output. */
    CHECK_STATUS(taolite_sha256(NULL, 5, out), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_sha256((const uint8_t *)"x", 1, NULL), TAOLITE_STATUS_NULL_POINTER);
}

static void test_last_error(void) {
    char message[256];
    char tiny[4];
    size_t written = 0;
    uint8_t out[32];
    CHECK_STATUS(taolite_sha256(NULL, 1, out), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_last_error(message, sizeof message, &written), TAOLITE_STATUS_OK);
    CHECK(written == strlen(message) + 1);
    CHECK(strstr(message, "NULL") != NULL);
    /* Too small a buffer: nothing written, needed length reported. */
    memset(tiny, 'x', sizeof tiny);
    CHECK_STATUS(taolite_last_error(tiny, sizeof tiny, &written), TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == strlen(message) + 1);
    CHECK(tiny[0] == 'x');
    CHECK_STATUS(taolite_last_error(NULL, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
}

static void test_ss58(void) {
    uint8_t account[32];
    uint16_t prefix = 0;
    char hex[65];
    char address[64];
    size_t written = 0;
    CHECK_STATUS(taolite_ss58_decode(ALICE_SS58, strlen(ALICE_SS58), &prefix, account), TAOLITE_STATUS_OK);
    CHECK(prefix == 42);
    to_hex(account, 32, hex);
    CHECK(strcmp(hex, ALICE_HEX) == 0);
    CHECK_STATUS(taolite_ss58_encode(account, 42, address, sizeof address, &written), TAOLITE_STATUS_OK);
    CHECK(strcmp(address, ALICE_SS58) == 0);
    CHECK(written == strlen(ALICE_SS58) + 1);
    /* Buffer one byte too small (no room for the NUL). */
    CHECK_STATUS(taolite_ss58_encode(account, 42, address, strlen(ALICE_SS58), &written),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == strlen(ALICE_SS58) + 1);
    /* Errors: bad checksum, prefix out of range, lying length, NULLs. */
    CHECK_STATUS(taolite_ss58_decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQX", 48, &prefix, account),
                 TAOLITE_STATUS_INVALID_SS58);
    CHECK_STATUS(taolite_ss58_encode(account, 16384, address, sizeof address, &written), TAOLITE_STATUS_INVALID_SS58);
    CHECK_STATUS(taolite_ss58_decode(ALICE_SS58, 10, &prefix, account), TAOLITE_STATUS_INVALID_SS58);
    CHECK_STATUS(taolite_ss58_decode(NULL, 48, &prefix, account), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_ss58_decode(ALICE_SS58, 48, NULL, account), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_ss58_decode(ALICE_SS58, 48, &prefix, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_ss58_encode(NULL, 42, address, sizeof address, &written), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_ss58_decode("\xff\xfe", 2, &prefix, account), TAOLITE_STATUS_INVALID_UTF8);
}

static void test_keys(void) {
    static const char DEV_PHRASE[] = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
    TaoliteKeypair *alice = NULL;
    TaoliteKeypair *dev = NULL;
    TaoliteKeypair *seeded = NULL;
    TaoliteKeypair *untouched = NULL;
    uint8_t public_key[32];
    uint8_t other_key[32];
    uint8_t seed[32];
    uint8_t signature[64];
    char hex[65];
    char address[64];
    size_t written = 0;
    const uint8_t message[] = "taolite";

    CHECK_STATUS(taolite_keypair_from_uri("//Alice", 7, &alice), TAOLITE_STATUS_OK);
    CHECK(alice != NULL);
    CHECK_STATUS(taolite_keypair_public_key(alice, public_key), TAOLITE_STATUS_OK);
    to_hex(public_key, 32, hex);
    CHECK(strcmp(hex, ALICE_HEX) == 0);
    CHECK_STATUS(taolite_keypair_ss58(alice, 42, address, sizeof address, &written), TAOLITE_STATUS_OK);
    CHECK(strcmp(address, ALICE_SS58) == 0);

    /* Sign, verify, and every way a verification can fail. */
    CHECK_STATUS(taolite_keypair_sign(alice, message, sizeof message - 1, signature), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_sr25519_verify(public_key, message, sizeof message - 1, signature), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_sr25519_verify(public_key, message, sizeof message - 2, signature),
                 TAOLITE_STATUS_SIGNATURE_MISMATCH);
    signature[63] &= 0x7f; /* clear schnorrkel's marker bit */
    CHECK_STATUS(taolite_sr25519_verify(public_key, message, sizeof message - 1, signature),
                 TAOLITE_STATUS_INVALID_SIGNATURE);
    CHECK_STATUS(taolite_sr25519_verify(NULL, message, 1, signature), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_keypair_sign(alice, NULL, 3, signature), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_keypair_sign(alice, NULL, 0, signature), TAOLITE_STATUS_OK);

    /* The same key from the dev phrase with a path, and from a seed. */
    CHECK_STATUS(taolite_keypair_from_mnemonic(DEV_PHRASE, strlen(DEV_PHRASE), NULL, 0, &dev), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_keypair_public_key(dev, other_key), TAOLITE_STATUS_OK);
    CHECK(memcmp(other_key, public_key, 32) != 0);
    memset(seed, 7, sizeof seed);
    CHECK_STATUS(taolite_keypair_from_seed(seed, &seeded), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_keypair_public_key(seeded, other_key), TAOLITE_STATUS_OK);

    /* Bad input leaves the output untouched. */
    CHECK_STATUS(taolite_keypair_from_uri("//Alice//", 9, &untouched), TAOLITE_STATUS_INVALID_URI);
    CHECK_STATUS(taolite_keypair_from_mnemonic("bottom drive obey", 17, NULL, 0, &untouched),
                 TAOLITE_STATUS_INVALID_MNEMONIC);
    CHECK_STATUS(taolite_keypair_from_uri("0xzz", 4, &untouched), TAOLITE_STATUS_INVALID_HEX);
    CHECK(untouched == NULL);
    CHECK_STATUS(taolite_keypair_from_uri("//Alice", 7, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_keypair_public_key(NULL, public_key), TAOLITE_STATUS_INVALID_HANDLE);

    /* Free: NULL is fine, a double free and a use after free are reported. */
    CHECK_STATUS(taolite_keypair_free(NULL), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_keypair_free(alice), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_keypair_free(alice), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_keypair_public_key(alice, public_key), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_keypair_free(dev), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_keypair_free(seeded), TAOLITE_STATUS_OK);
}

static void from_hex(const char *hex, uint8_t *out, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned int byte = 0;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            fprintf(stderr, "bad hex in test data\n");
            exit(2);
        }
        out[i] = (uint8_t)byte;
    }
}

typedef struct {
    TaolitePowSolver *solver;
    int calls;
    uint64_t last_hashes;
    bool cancel_with_call; /* cancel via taolite_pow_cancel, else by returning false */
} progress_state;

static bool on_progress(void *user, uint64_t hashes_done) {
    progress_state *state = user;
    state->calls++;
    CHECK(hashes_done >= state->last_hashes);
    state->last_hashes = hashes_done;
    if (state->cancel_with_call) {
        CHECK_STATUS(taolite_pow_cancel(state->solver), TAOLITE_STATUS_OK);
        return true;
    }
    return false;
}

static bool keep_going(void *user, uint64_t hashes_done) {
    progress_state *state = user;
    state->calls++;
    state->last_hashes = hashes_done;
    return true;
}

static void test_pow(void) {
    /* Vector s001 (zero block hash, Alice, nonce 0) and solved vector v01. */
    static const char S001_SEAL[] = "8f451590e942a76be6bad67804a7858b8ac3d5c04d1aa6204a10ff61c601b03f";
    static const char V01_BLOCK[] = "c5650bd1d752bc547ecd8cf8cdeb46b3d785ad18db40eb51056d71b0faaae575";
    static const char V01_KEY[] = "76beeea319d8cf1d73a37138e7d73e2e8665174860860b287158aecbff0e8096";
    static const char HUGE[] = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    static const char TOO_BIG[] = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    uint8_t zero[32], alice[32], seal[32], block[32], key[32];
    char hex[65];
    bool meets = false, found = true;
    uint64_t nonce = 99;
    TaolitePowSolver *solver = NULL, *threads = NULL, *untouched = NULL;
    TaoliteKeypair *keypair = NULL;
    progress_state state;
    const uint32_t backends[] = {TAOLITE_POW_BACKEND_AUTO, TAOLITE_POW_BACKEND_SCALAR, TAOLITE_POW_BACKEND_SIMD,
                                 TAOLITE_POW_BACKEND_THREADS};
    size_t i;

    memset(zero, 0, sizeof zero);
    from_hex(ALICE_HEX, alice, 32);
    from_hex(V01_BLOCK, block, 32);
    from_hex(V01_KEY, key, 32);

    CHECK_STATUS(taolite_pow_seal(zero, alice, 0, seal), TAOLITE_STATUS_OK);
    to_hex(seal, 32, hex);
    CHECK(strcmp(hex, S001_SEAL) == 0);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, "1", 1, TAOLITE_POW_RULE_CURRENT), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 1, seal, "1", 1, TAOLITE_POW_RULE_CURRENT),
                 TAOLITE_STATUS_POW_INVALID_SEAL);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, HUGE, strlen(HUGE), TAOLITE_POW_RULE_LEGACY),
                 TAOLITE_STATUS_POW_DIFFICULTY_NOT_MET);
    CHECK_STATUS(taolite_pow_meets_difficulty(seal, "0x1", 3, TAOLITE_POW_RULE_CURRENT, &meets), TAOLITE_STATUS_OK);
    CHECK(meets);
    CHECK_STATUS(taolite_pow_meets_difficulty(seal, HUGE, strlen(HUGE), TAOLITE_POW_RULE_CURRENT, &meets),
                 TAOLITE_STATUS_OK);
    CHECK(!meets);

    /* Every backend finds v01's first nonce (330 from 0 at difficulty 1000). */
    for (i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        TaolitePowSolver *s = NULL;
        CHECK_STATUS(taolite_pow_solver_new(backends[i], i == 0 || i == 3 ? 2 : 1, &s), TAOLITE_STATUS_OK);
        memset(&state, 0, sizeof state);
        nonce = 0;
        found = false;
        CHECK_STATUS(taolite_pow_solve(s, block, key, "1000", 4, TAOLITE_POW_RULE_CURRENT, 0, 100000, keep_going,
                                       &state, &nonce, &found),
                     TAOLITE_STATUS_OK);
        CHECK(found && nonce == 330);
        CHECK(state.calls >= 1 && state.last_hashes >= 331);
        /* Without a callback; a range ending just before the answer is exhausted. */
        CHECK_STATUS(taolite_pow_solve(s, block, key, "1000", 4, TAOLITE_POW_RULE_CURRENT, 0, 330, NULL, NULL,
                                       &nonce, &found),
                     TAOLITE_STATUS_OK);
        CHECK(!found && nonce == 0);
        CHECK_STATUS(taolite_pow_solver_free(s), TAOLITE_STATUS_OK);
    }

    /* Cancellation: from the callback through taolite_pow_cancel, or by returning false. */
    CHECK_STATUS(taolite_pow_solver_new(TAOLITE_POW_BACKEND_SCALAR, 0, &solver), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_solver_new(TAOLITE_POW_BACKEND_THREADS, 2, &threads), TAOLITE_STATUS_OK);
    memset(&state, 0, sizeof state);
    state.solver = solver;
    state.cancel_with_call = true;
    nonce = 7;
    CHECK_STATUS(taolite_pow_solve(solver, block, key, HUGE, strlen(HUGE), TAOLITE_POW_RULE_CURRENT, 0, UINT64_MAX,
                                   on_progress, &state, &nonce, &found),
                 TAOLITE_STATUS_CANCELLED);
    CHECK(state.calls == 1 && nonce == 7);
    /* The request was consumed: the next solve runs normally. */
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1000", 4, TAOLITE_POW_RULE_CURRENT, 0, 1000, NULL, NULL,
                                   &nonce, &found),
                 TAOLITE_STATUS_OK);
    CHECK(found && nonce == 330);
    memset(&state, 0, sizeof state);
    state.solver = threads;
    CHECK_STATUS(taolite_pow_solve(threads, block, key, HUGE, strlen(HUGE), TAOLITE_POW_RULE_LEGACY, 5, UINT64_MAX,
                                   on_progress, &state, &nonce, &found),
                 TAOLITE_STATUS_CANCELLED);
    CHECK(state.calls >= 1);
    /* A cancel made while idle cancels the next solve. */
    CHECK_STATUS(taolite_pow_cancel(solver), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1000", 4, TAOLITE_POW_RULE_CURRENT, 0, 1000, NULL, NULL,
                                   &nonce, &found),
                 TAOLITE_STATUS_CANCELLED);

    /* Error paths. */
    CHECK_STATUS(taolite_pow_seal(NULL, alice, 0, seal), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_seal(zero, NULL, 0, seal), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_seal(zero, alice, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, NULL, "1", 1, 0), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, NULL, 1, 0), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, NULL, 0, 0), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, "12a", 3, 0), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, "1", 1, 2), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_verify(zero, alice, 0, seal, "\xff", 1, 0), TAOLITE_STATUS_INVALID_UTF8);
    CHECK_STATUS(taolite_pow_meets_difficulty(seal, "1", 1, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_meets_difficulty(NULL, "1", 1, 0, &meets), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_meets_difficulty(seal, "1", 1, 99, &meets), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_meets_difficulty(seal, TOO_BIG, strlen(TOO_BIG), 0, &meets),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_solver_new(9, 0, &untouched), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_solver_new(TAOLITE_POW_BACKEND_SCALAR, 2, &untouched), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_solver_new(TAOLITE_POW_BACKEND_SIMD, 3, &untouched), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK(untouched == NULL);
    CHECK_STATUS(taolite_pow_solver_new(TAOLITE_POW_BACKEND_AUTO, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1", 1, 0, 0, 1, NULL, NULL, NULL, &found),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1", 1, 0, 0, 1, NULL, NULL, &nonce, NULL),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_solve(solver, NULL, key, "1", 1, 0, 0, 1, NULL, NULL, &nonce, &found),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "x", 1, 0, 0, 1, NULL, NULL, &nonce, &found),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1", 1, 5, 0, 1, NULL, NULL, &nonce, &found),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_pow_solve(NULL, block, key, "1", 1, 0, 0, 1, NULL, NULL, &nonce, &found),
                 TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_pow_cancel(NULL), TAOLITE_STATUS_INVALID_HANDLE);
    /* A handle of another kind is refused. */
    CHECK_STATUS(taolite_keypair_from_uri("//Bob", 5, &keypair), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_cancel((const TaolitePowSolver *)(const void *)keypair), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_pow_solver_free((TaolitePowSolver *)(void *)keypair), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_keypair_free((TaoliteKeypair *)(void *)solver), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_keypair_free(keypair), TAOLITE_STATUS_OK);
    /* Free: NULL is fine, double free and use after free are reported. */
    CHECK_STATUS(taolite_pow_solver_free(NULL), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_solver_free(solver), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_pow_solver_free(solver), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_pow_cancel(solver), TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_pow_solve(solver, block, key, "1", 1, 0, 0, 1, NULL, NULL, &nonce, &found),
                 TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_pow_solver_free(threads), TAOLITE_STATUS_OK);
}

static void test_extrinsics(void) {
    /* Vector shared-00: transfer_keep_alive signed by Alice, immortal, Finney, spec 425. */
    static const char EXT00[] =
        "39028400d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d0190ea25bff86ae0429c243aad7fbfbf"
        "42dfb6946272e0f6a062d80e21a72a2b11ccbb553d8d9cac1b6399bef13078b1f3e9750366776550c82d776bb0f12c8c85000000"
        "000503008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a4802286bee";
    static const char CALL00[] = "0503008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a4802286bee";
    static const char FINNEY[] = "2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03";
    static const char WEIGHTS_KEY[] =
        "658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec439009600";
    static const char BOB_TRANSFER[] =
        "{\"dest\":\"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\",\"value\":\"0.000000001\"}";
    static const char BARE[] = "200400001062617265"; /* System.remark(b"bare") */
    uint8_t ext00[sizeof EXT00 / 2], call00[sizeof CALL00 / 2], bob_key[32], alice[32], bare[sizeof BARE / 2];
    uint8_t call[256], ext[512], key[256];
    char text[2048], hex[600];
    size_t call_len = 0, ext_len = 0, written = 0, key_len = 0;
    TaoliteTxParams params;
    TaoliteKeyPart parts[2];
    TaoliteKeypair *alice_pair = NULL;
    const uint16_t dests[3] = {0, 1, 2};
    const uint16_t weights[3] = {65535, 100, 0};

    from_hex(EXT00, ext00, sizeof ext00);
    from_hex(CALL00, call00, sizeof call00);
    from_hex(BARE, bare, sizeof bare);
    from_hex(ALICE_HEX, alice, 32);
    memset(&params, 0, sizeof params);
    params.chain.spec_version = 425;
    params.chain.transaction_version = 1;
    from_hex(FINNEY, params.chain.genesis_hash, 32);

    /* The vector verifies, decodes and renders. */
    CHECK_STATUS(taolite_extrinsic_verify(ext00, sizeof ext00, &params.chain), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_extrinsic_decode(ext00, sizeof ext00, text, sizeof text, &written), TAOLITE_STATUS_OK);
    CHECK(strstr(text, "\"transfer_keep_alive\"") != NULL && strstr(text, ALICE_SS58) != NULL);
    CHECK(strstr(text, "\"hash\":\"0xfc217f456924210ad778b8b61739f2cc53cbaeb77a51cc2e2d37c94118a14471\"") != NULL);
    CHECK_STATUS(taolite_extrinsic_render(ext00, sizeof ext00, text, sizeof text, &written), TAOLITE_STATUS_OK);
    CHECK(strstr(text, "call: Balances.transfer_keep_alive(") != NULL);
    CHECK(strstr(text, "signer: " ALICE_SS58_LITERAL) != NULL && strstr(text, "era: immortal") != NULL);
    CHECK(written == strlen(text) + 1);
    params.chain.spec_version = 426;
    CHECK_STATUS(taolite_extrinsic_verify(ext00, sizeof ext00, &params.chain), TAOLITE_STATUS_SIGNATURE_MISMATCH);
    params.chain.spec_version = 425;
    ext00[40] ^= 1; /* inside the signer's account id */
    CHECK(taolite_extrinsic_verify(ext00, sizeof ext00, &params.chain) != TAOLITE_STATUS_OK);
    ext00[40] ^= 1;
    CHECK_STATUS(taolite_extrinsic_render(bare, sizeof bare, text, sizeof text, &written), TAOLITE_STATUS_OK);
    CHECK(strstr(text, "System.remark(") != NULL && strstr(text, "bare") != NULL);
    CHECK_STATUS(taolite_extrinsic_verify(bare, sizeof bare, &params.chain), TAOLITE_STATUS_INVALID_ARGUMENT);

    /* Typed calls, signed by Alice (mortal, tipped), verified and decoded. */
    CHECK_STATUS(taolite_keypair_from_uri("//Alice", 7, &alice_pair), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_call_transfer(alice + 0, 1000000000, true, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK(call_len > 2 && call[0] == 5 && call[1] == 3);
    CHECK_STATUS(taolite_call_transfer(alice, 5, false, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK(call[0] == 5 && call[1] == 0);
    CHECK_STATUS(taolite_call_add_stake(alice, 1, 5, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK(call_len == 2 + 32 + 2 + 8 && call[0] == 7 && call[1] == 2);
    CHECK_STATUS(taolite_call_remove_stake(alice, 1, 5, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK(call_len == 2 + 32 + 2 + 8 && call[0] == 7 && call[1] == 3);
    CHECK_STATUS(taolite_call_set_weights(1, dests, weights, 3, 7, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK(call_len == 2 + 2 + 1 + 6 + 1 + 6 + 8 && call[0] == 7 && call[1] == 0);
    params.nonce = 64;
    params.tip = 10;
    params.era_period = 64;
    params.era_current_block = 5000506;
    memset(params.chain.birth_block_hash, 0xab, 32);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call, call_len, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_extrinsic_verify(ext, ext_len, &params.chain), TAOLITE_STATUS_OK);
    params.chain.birth_block_hash[0] = 0;
    CHECK_STATUS(taolite_extrinsic_verify(ext, ext_len, &params.chain), TAOLITE_STATUS_SIGNATURE_MISMATCH);
    CHECK_STATUS(taolite_extrinsic_render(ext, ext_len, text, sizeof text, &written), TAOLITE_STATUS_OK);
    CHECK(strstr(text, "SubtensorModule.set_weights(netuid: 1") != NULL && strstr(text, "nonce: 64") != NULL);
    CHECK(strstr(text, "mortal(period 64, phase 58)") != NULL);
    /* Metadata hash mode 1 round trip. */
    params.chain.has_metadata_hash = 1;
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_extrinsic_verify(ext, ext_len, &params.chain), TAOLITE_STATUS_OK);
    params.chain.has_metadata_hash = 0;
    CHECK_STATUS(taolite_extrinsic_verify(ext, ext_len, &params.chain), TAOLITE_STATUS_INVALID_ARGUMENT);
    params.chain.has_metadata_hash = 2;
    CHECK_STATUS(taolite_extrinsic_verify(ext, ext_len, &params.chain), TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    params.chain.has_metadata_hash = 0;

    /* JSON calls. */
    CHECK_STATUS(taolite_call_from_json("Balances", 8, "transfer_keep_alive", 19, BOB_TRANSFER,
                                        sizeof BOB_TRANSFER - 1, call, sizeof call, &call_len),
                 TAOLITE_STATUS_OK);
    CHECK(call_len == 2 + 33 + 1 && call[2] == 0 && call[35] == 4);
    memcpy(bob_key, call + 3, 32);
    CHECK_STATUS(taolite_call_from_json("Balances", 8, "nope", 4, "{}", 2, call, sizeof call, &call_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_call_from_json("Balances", 8, "transfer_keep_alive", 19, "{", 1, call, sizeof call,
                                        &call_len),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_call_from_json("Balances", 8, "transfer_keep_alive", 19, "{\"value\":1}", 11, call,
                                        sizeof call, &call_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);

    /* Storage key: Weights(netuid 57, uid 150) from the vectors. */
    memset(parts, 0, sizeof parts);
    parts[0].kind = TAOLITE_KEY_KIND_U16;
    parts[0].value = 57;
    parts[1].kind = TAOLITE_KEY_KIND_U16;
    parts[1].value = 150;
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 2, key, sizeof key, &key_len),
                 TAOLITE_STATUS_OK);
    to_hex(key, key_len, hex);
    CHECK(strcmp(hex, WEIGHTS_KEY) == 0);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "StakeThreshold", 14, NULL, 0, key, sizeof key, &key_len),
                 TAOLITE_STATUS_OK);
    CHECK(key_len == 32);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 1, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    parts[1].kind = TAOLITE_KEY_KIND_ACCOUNT;
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 2, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    parts[1].kind = 9;
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 2, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    parts[1].kind = TAOLITE_KEY_KIND_U16;
    parts[1].value = 65536;
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 2, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Nope", 4, NULL, 0, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, NULL, 2, key, sizeof key, &key_len),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "Weights", 7, parts, 1000, key, sizeof key, &key_len),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_storage_key("SubtensorModule", 15, "StakeThreshold", 14, NULL, 0, key, 31, &key_len),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(key_len == 32);

    /* Error paths: NULLs, lying lengths, garbage, small buffers, wrong handles. */
    CHECK_STATUS(taolite_extrinsic_verify(ext00, sizeof ext00, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_extrinsic_verify(NULL, 4, &params.chain), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_extrinsic_verify(ext00, sizeof ext00 - 1, &params.chain), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_decode(ext00, 10, text, sizeof text, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_decode(NULL, 0, text, sizeof text, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_decode(ext00, sizeof ext00, text, 10, &written), TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written > 10);
    CHECK_STATUS(taolite_extrinsic_decode(ext00, sizeof ext00, text, sizeof text, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_extrinsic_render(ext00, 3, text, sizeof text, &written), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_render(NULL, 3, text, sizeof text, &written), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00, NULL, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00 - 1, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, NULL, 0, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00, &params, ext, 8, &ext_len),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(ext_len > 8);
    CHECK_STATUS(taolite_extrinsic_sign(NULL, call00, sizeof call00, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_call_set_weights(1, NULL, weights, 3, 7, call, sizeof call, &call_len),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_call_set_weights(1, NULL, NULL, 0, 7, call, sizeof call, &call_len), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_call_set_weights(1, dests, weights, 3, 7, call, 4, &call_len),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(taolite_call_add_stake(NULL, 1, 5, call, sizeof call, &call_len), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_call_remove_stake(NULL, 1, 5, call, sizeof call, &call_len), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_call_transfer(NULL, 5, true, call, sizeof call, &call_len), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_call_transfer(bob_key, 5, true, NULL, 0, NULL), TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_call_from_json(NULL, 3, "x", 1, "{}", 2, call, sizeof call, &call_len),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_keypair_free(alice_pair), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_extrinsic_sign(alice_pair, call00, sizeof call00, &params, ext, sizeof ext, &ext_len),
                 TAOLITE_STATUS_INVALID_HANDLE);
}

static void test_synapse(void) {
    static const char HEADERS[] =
        "{\"name\": \"Dummy\", \"timeout\": \"12.0\", "
        "\"bt_header_axon_hotkey\": \"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\", "
        "\"bt_header_dendrite_version\": \"10002000\", "
        "\"bt_header_dendrite_uuid\": \"5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a\"}";
    static const char BODY[] = "{\"name\": \"Dummy\", \"dummy_input\": 5}";
    static const char FIELDS[] = "[\"dummy_input\"]";
    static const char BOB[] = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    const uint64_t nonce = 1750000000123456789ULL;
    TaoliteKeypair *alice = NULL;
    char signed_headers[2048], resigned[2048], hex[65], tiny[4];
    uint8_t hash[32];
    size_t written = 0;
    uint64_t accepted = 0, last = 0;

    CHECK_STATUS(taolite_keypair_from_uri("//Alice", 7, &alice), TAOLITE_STATUS_OK);
    CHECK_STATUS(taolite_synapse_body_hash(BODY, strlen(BODY), FIELDS, strlen(FIELDS), hash), TAOLITE_STATUS_OK);
    to_hex(hash, 32, hex);
    CHECK_STATUS(taolite_synapse_sign(alice, HEADERS, strlen(HEADERS), BODY, strlen(BODY), FIELDS, strlen(FIELDS),
                                      nonce, signed_headers, sizeof signed_headers, &written),
                 TAOLITE_STATUS_OK);
    CHECK(written == strlen(signed_headers) + 1);
    CHECK(strstr(signed_headers, hex) != NULL && strstr(signed_headers, ALICE_SS58_LITERAL) != NULL);
    CHECK(strstr(signed_headers, "\"bt_header_dendrite_nonce\": \"1750000000123456789\"") != NULL);

    /* Accepted under both rule sets; a replay, a stale clock, another body are not. */
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), BODY, strlen(BODY), FIELDS,
                                        strlen(FIELDS), BOB, strlen(BOB), nonce + 1000000000ULL, 0, false, false,
                                        &accepted),
                 TAOLITE_STATUS_OK);
    CHECK(accepted == nonce);
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), NULL, 0, NULL, 0, NULL, 0,
                                        nonce + 1000000000ULL, 0, false, true, NULL),
                 TAOLITE_STATUS_OK);
    last = nonce;
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), NULL, 0, NULL, 0, NULL, 0,
                                        nonce + 1000000000ULL, last, true, false, &accepted),
                 TAOLITE_STATUS_REQUEST_REJECTED);
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), NULL, 0, NULL, 0, NULL, 0,
                                        nonce + 100000000000ULL, 0, false, false, &accepted),
                 TAOLITE_STATUS_REQUEST_REJECTED);
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), "{\"dummy_input\": 6}", 18, FIELDS,
                                        strlen(FIELDS), NULL, 0, nonce, 0, false, false, &accepted),
                 TAOLITE_STATUS_REQUEST_REJECTED);
    CHECK_STATUS(taolite_synapse_verify(signed_headers, strlen(signed_headers), NULL, 0, NULL, 0, ALICE_SS58,
                                        strlen(ALICE_SS58), nonce, 0, false, true, &accepted),
                 TAOLITE_STATUS_SIGNATURE_MISMATCH);
    /* Signing without a body needs a computed_body_hash header. */
    CHECK_STATUS(taolite_synapse_sign(alice, signed_headers, strlen(signed_headers), NULL, 0, NULL, 0, nonce + 1,
                                      resigned, sizeof resigned, &written),
                 TAOLITE_STATUS_OK);
    CHECK(strstr(resigned, "\"bt_header_dendrite_nonce\": \"1750000000123456790\"") != NULL);
    CHECK_STATUS(taolite_synapse_sign(alice, HEADERS, strlen(HEADERS), NULL, 0, NULL, 0, nonce, signed_headers,
                                      sizeof signed_headers, &written),
                 TAOLITE_STATUS_INVALID_ARGUMENT);

    /* Error paths. */
    CHECK_STATUS(taolite_synapse_sign(alice, HEADERS, strlen(HEADERS), BODY, strlen(BODY), FIELDS, strlen(FIELDS),
                                      nonce, tiny, sizeof tiny, &written),
                 TAOLITE_STATUS_BUFFER_TOO_SMALL);
    CHECK(written > sizeof tiny);
    CHECK_STATUS(taolite_synapse_sign(alice, "{\"a\": 1}", 8, BODY, strlen(BODY), NULL, 0, nonce, signed_headers,
                                      sizeof signed_headers, &written),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_sign(alice, "{\"name\": \"x\"}", 13, BODY, strlen(BODY), NULL, 0, nonce,
                                      signed_headers, sizeof signed_headers, &written),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_synapse_sign(alice, HEADERS, strlen(HEADERS), BODY, strlen(BODY), "[1]", 3, nonce,
                                      signed_headers, sizeof signed_headers, &written),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_sign(alice, HEADERS, strlen(HEADERS), BODY, strlen(BODY), "[\"missing\"]", 11,
                                      nonce, signed_headers, sizeof signed_headers, &written),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_sign(NULL, HEADERS, strlen(HEADERS), NULL, 0, NULL, 0, nonce, signed_headers,
                                      sizeof signed_headers, &written),
                 TAOLITE_STATUS_INVALID_HANDLE);
    CHECK_STATUS(taolite_synapse_sign(alice, NULL, 5, NULL, 0, NULL, 0, nonce, signed_headers, sizeof signed_headers,
                                      &written),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_synapse_verify("{", 1, NULL, 0, NULL, 0, NULL, 0, 0, 0, false, false, NULL),
                 TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_verify(HEADERS, strlen(HEADERS), NULL, 0, NULL, 0, "5Grw", 4, 0, 0, false, false,
                                        NULL),
                 TAOLITE_STATUS_INVALID_SS58);
    CHECK_STATUS(taolite_synapse_verify("{}", 2, NULL, 0, NULL, 0, NULL, 0, 0, 0, false, false, NULL),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_synapse_verify(NULL, 2, NULL, 0, NULL, 0, NULL, 0, 0, 0, false, false, NULL),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_synapse_verify(HEADERS, strlen(HEADERS), NULL, 0, FIELDS, strlen(FIELDS), NULL, 0, 0, 0,
                                        false, false, NULL),
                 TAOLITE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(taolite_synapse_body_hash(NULL, 0, NULL, 0, hash), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_body_hash("[1]", 3, NULL, 0, hash), TAOLITE_STATUS_DECODE_FAILED);
    CHECK_STATUS(taolite_synapse_body_hash(BODY, strlen(BODY), FIELDS, strlen(FIELDS), NULL),
                 TAOLITE_STATUS_NULL_POINTER);
    CHECK_STATUS(taolite_synapse_body_hash(BODY, strlen(BODY), "\xff", 1, hash), TAOLITE_STATUS_INVALID_UTF8);
    CHECK_STATUS(taolite_keypair_free(alice), TAOLITE_STATUS_OK);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s <yuma case.json> <another yuma case.json>\n", argv[0]);
        return 2;
    }
    test_hashes();
    test_last_error();
    test_ss58();
    test_keys();
    test_epoch(argv[1], argv[2]);
    test_pow();
    test_extrinsics();
    test_synapse();
    if (failures != 0) {
        fprintf(stderr, "%d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("taolite C tests: %d checks passed\n", checks);
    return 0;
}
