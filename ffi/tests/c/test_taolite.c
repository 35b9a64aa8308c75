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

static const char ALICE_SS58[] = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
static const char ALICE_HEX[] =
    "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

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

int main(void) {
    test_hashes();
    test_last_error();
    test_ss58();
    test_keys();
    if (failures != 0) {
        fprintf(stderr, "%d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("taolite C tests: %d checks passed\n", checks);
    return 0;
}
