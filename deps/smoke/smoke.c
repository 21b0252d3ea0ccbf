/* Smoke test for the wasm32 libraries installed by deps/build-wasm.sh.
 * Built and run in Node by `deps/build-wasm.sh --smoke PREFIX`:
 *   emcc -I PREFIX/include smoke.c libsrtp2.a libmbedtls.a libmbedx509.a
 *        libmbedcrypto.a libusrsctp.a libopus.a libvpx.a
 *        -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1
 * Prints each library's version and does a little real work with each one;
 * exits non-zero on the first failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <net/if.h>
#include <arpa/inet.h>

#include <mbedtls/version.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>
#include <mbedtls/ecp.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/ssl.h>
#include <srtp2/srtp.h>
#include <usrsctp.h>
#include <opus/opus.h>
#include <vpx/vpx_codec.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>

#if !defined(MBEDTLS_SSL_DTLS_SRTP)
#error "mbedtls config.h: MBEDTLS_SSL_DTLS_SRTP must be on"
#endif
#if defined(MBEDTLS_THREADING_C)
#error "mbedtls config.h: MBEDTLS_THREADING_C must be off"
#endif

/* usrsctp_register_address() ends in musl's if_indextoname(), whose ioctl
 * (SIOCGIFNAME) Emscripten 3.1.6 does not implement ("bad ioctl syscall
 * 35088"). There are no interfaces in wasm: this link-time override makes
 * the lookup fail cleanly instead. Real programs need the same stub. */
char *if_indextoname(unsigned int index, char *name) {
  (void)index;
  (void)name;
  return 0;
}

static int failures;
#define CHECK(cond, ...)                      \
  do {                                        \
    if (!(cond)) {                            \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                    \
      printf("\n");                           \
      failures++;                             \
      return 1;                               \
    }                                         \
  } while (0)

/* ---------------------------------------------------------------- mbedtls */
static int test_mbedtls(void) {
  char ver[32];
  mbedtls_version_get_string(ver);
  printf("mbedtls   %s\n", ver);

  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_pk_context key;
  mbedtls_x509write_cert crt;
  mbedtls_mpi serial;
  mbedtls_x509_crt parsed;
  mbedtls_ssl_config conf;
  static unsigned char pem[4096];
  int rc;

  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  mbedtls_pk_init(&key);
  mbedtls_x509write_crt_init(&crt);
  mbedtls_mpi_init(&serial);
  mbedtls_x509_crt_init(&parsed);
  mbedtls_ssl_config_init(&conf);

  /* Platform entropy (/dev/urandom through Emscripten's FS). */
  rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                             (const unsigned char *)"smoke", 5);
  CHECK(rc == 0, "ctr_drbg_seed -0x%04x", -rc);

  /* Self-signed ECDSA P-256 certificate, as wasmrtc makes for DTLS. */
  rc = mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  CHECK(rc == 0, "pk_setup -0x%04x", -rc);
  rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key),
                           mbedtls_ctr_drbg_random, &drbg);
  CHECK(rc == 0, "ecp_gen_key -0x%04x", -rc);
  mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(&crt, &key);
  mbedtls_x509write_crt_set_issuer_key(&crt, &key);
  CHECK(mbedtls_x509write_crt_set_subject_name(&crt, "CN=wasmrtc") == 0, "subject");
  CHECK(mbedtls_x509write_crt_set_issuer_name(&crt, "CN=wasmrtc") == 0, "issuer");
  CHECK(mbedtls_mpi_lset(&serial, 1) == 0, "serial");
  CHECK(mbedtls_x509write_crt_set_serial(&crt, &serial) == 0, "set serial");
  CHECK(mbedtls_x509write_crt_set_validity(&crt, "20240101000000", "20340101000000") == 0,
        "validity");
  rc = mbedtls_x509write_crt_pem(&crt, pem, sizeof pem, mbedtls_ctr_drbg_random, &drbg);
  CHECK(rc == 0, "x509write_crt_pem -0x%04x", -rc);
  rc = mbedtls_x509_crt_parse(&parsed, pem, strlen((char *)pem) + 1);
  CHECK(rc == 0, "x509_crt_parse -0x%04x", -rc);
  printf("          self-signed P-256 cert: %u bytes DER\n", (unsigned)parsed.raw.len);

  /* DTLS config with the use_srtp extension (MBEDTLS_SSL_DTLS_SRTP). */
  rc = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER,
                                   MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
  CHECK(rc == 0, "ssl_config_defaults -0x%04x", -rc);
  static const mbedtls_ssl_srtp_profile profiles[] = {
      MBEDTLS_TLS_SRTP_AES128_CM_HMAC_SHA1_80, MBEDTLS_TLS_SRTP_UNSET};
  rc = mbedtls_ssl_conf_dtls_srtp_protection_profiles(&conf, profiles);
  CHECK(rc == 0, "conf_dtls_srtp_protection_profiles -0x%04x", -rc);

  mbedtls_ssl_config_free(&conf);
  mbedtls_x509_crt_free(&parsed);
  mbedtls_mpi_free(&serial);
  mbedtls_x509write_crt_free(&crt);
  mbedtls_pk_free(&key);
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  return 0;
}

/* ------------------------------------------------------------------- srtp */
static char srtp_log[2048];
static void srtp_log_cb(srtp_log_level_t level, const char *msg, void *data) {
  (void)level;
  (void)data;
  strncat(srtp_log, msg, sizeof srtp_log - strlen(srtp_log) - 1);
}

static int test_srtp(void) {
  printf("libsrtp2  %s\n", srtp_get_version_string());
  CHECK(srtp_init() == srtp_err_status_ok, "srtp_init");

  /* The crypto kernel's modules say which engine backs AES. */
  srtp_install_log_handler(srtp_log_cb, NULL);
  srtp_list_debug_modules();
  srtp_install_log_handler(NULL, NULL);
  CHECK(strstr(srtp_log, "aes gcm mbedtls") != NULL, "no 'aes gcm mbedtls' module in:\n%s",
        srtp_log);
  CHECK(strstr(srtp_log, "aes icm mbedtls") != NULL, "no 'aes icm mbedtls' module");
  printf("          crypto kernel: aes gcm mbedtls, aes icm mbedtls\n");

  /* AEAD_AES_128_GCM round trip (only there with an external crypto engine). */
  static const srtp_profile_t profiles[] = {srtp_profile_aes128_cm_sha1_80,
                                            srtp_profile_aead_aes_128_gcm};
  static const char *names[] = {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"};
  for (int p = 0; p < 2; p++) {
    unsigned char master[46];
    for (unsigned i = 0; i < sizeof master; i++) master[i] = (unsigned char)(i * 7 + 1);
    srtp_policy_t pol;
    memset(&pol, 0, sizeof pol);
    CHECK(srtp_crypto_policy_set_from_profile_for_rtp(&pol.rtp, profiles[p]) ==
              srtp_err_status_ok, "policy rtp %s", names[p]);
    CHECK(srtp_crypto_policy_set_from_profile_for_rtcp(&pol.rtcp, profiles[p]) ==
              srtp_err_status_ok, "policy rtcp %s", names[p]);
    pol.key = master;
    pol.window_size = 128;
    pol.ssrc.type = ssrc_any_outbound;
    srtp_t tx, rx;
    CHECK(srtp_create(&tx, &pol) == srtp_err_status_ok, "srtp_create tx %s", names[p]);
    pol.ssrc.type = ssrc_any_inbound;
    CHECK(srtp_create(&rx, &pol) == srtp_err_status_ok, "srtp_create rx %s", names[p]);

    unsigned char pkt[12 + 160 + SRTP_MAX_TRAILER_LEN];
    memset(pkt, 0, sizeof pkt);
    pkt[0] = 0x80; pkt[1] = 111; pkt[3] = 1;           /* V=2, PT 111, seq 1 */
    pkt[8] = 0x12; pkt[9] = 0x34; pkt[10] = 0x56; pkt[11] = 0x78; /* SSRC */
    for (int i = 0; i < 160; i++) pkt[12 + i] = (unsigned char)i;
    unsigned char orig[12 + 160];
    memcpy(orig, pkt, sizeof orig);
    int len = 12 + 160;
    CHECK(srtp_protect(tx, pkt, &len) == srtp_err_status_ok, "protect %s", names[p]);
    CHECK(len > 172 && memcmp(pkt + 12, orig + 12, 160) != 0, "not encrypted %s", names[p]);
    int plen = len;
    CHECK(srtp_unprotect(rx, pkt, &len) == srtp_err_status_ok, "unprotect %s", names[p]);
    CHECK(len == 172 && memcmp(pkt, orig, sizeof orig) == 0, "round trip %s", names[p]);
    printf("          %s: 172 -> %d -> 172 bytes ok\n", names[p], plen);
    srtp_dealloc(tx);
    srtp_dealloc(rx);
  }
  CHECK(srtp_shutdown() == srtp_err_status_ok, "srtp_shutdown");
  return 0;
}

/* ---------------------------------------------------------------- usrsctp */
static int sctp_out(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df) {
  (void)addr; (void)buf; (void)len; (void)tos; (void)set_df;
  return 0;
}

static int test_usrsctp(void) {
  printf("usrsctp   (no version API)\n");
  usrsctp_init_nothreads(0, sctp_out, NULL);
  static int conn_addr;
  usrsctp_register_address(&conn_addr); /* reaches if_indextoname: stubbed above */
  struct socket *s = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
  CHECK(s != NULL, "usrsctp_socket(AF_CONN)");
  struct sockaddr_conn sconn;
  memset(&sconn, 0, sizeof sconn);
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons(5000);
  sconn.sconn_addr = &conn_addr;
  CHECK(usrsctp_bind(s, (struct sockaddr *)&sconn, sizeof sconn) == 0, "usrsctp_bind");
  usrsctp_handle_timers(10);
  usrsctp_close(s);
  usrsctp_deregister_address(&conn_addr);
  for (int i = 0; i < 100 && usrsctp_finish() != 0; i++) usrsctp_handle_timers(100);
  printf("          usrsctp_init_nothreads, AF_CONN socket bind/close, finish ok\n");
  return 0;
}

/* ------------------------------------------------------------------- opus */
static int test_opus(void) {
  printf("opus      %s\n", opus_get_version_string());
  int err;
  OpusEncoder *enc = opus_encoder_create(48000, 2, OPUS_APPLICATION_VOIP, &err);
  CHECK(err == OPUS_OK && enc, "opus_encoder_create %d", err);
  OpusDecoder *dec = opus_decoder_create(48000, 2, &err);
  CHECK(err == OPUS_OK && dec, "opus_decoder_create %d", err);
  static opus_int16 pcm[960 * 2], out[960 * 2];
  unsigned seed = 1;
  for (int i = 0; i < 960; i++) {
    seed = seed * 1103515245u + 12345u;
    pcm[2 * i] = pcm[2 * i + 1] = (opus_int16)((i % 48 < 24 ? 8000 : -8000) + (int)(seed >> 20) - 2048);
  }
  unsigned char packet[1500];
  int n = 0;
  for (int f = 0; f < 5; f++) {
    n = opus_encode(enc, pcm, 960, packet, sizeof packet);
    CHECK(n > 0, "opus_encode %d", n);
    int m = opus_decode(dec, packet, n, out, 960, 0);
    CHECK(m == 960, "opus_decode %d", m);
  }
  printf("          20 ms stereo frame -> %d bytes -> 960 samples ok\n", n);
  opus_encoder_destroy(enc);
  opus_decoder_destroy(dec);
  return 0;
}

/* ------------------------------------------------------------------- vpx */
static int test_vpx(void) {
  printf("libvpx    %s\n", vpx_codec_version_str());
  const int w = 160, h = 120;
  vpx_codec_enc_cfg_t cfg;
  CHECK(vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0) == VPX_CODEC_OK, "enc cfg");
  cfg.g_w = w;
  cfg.g_h = h;
  cfg.rc_target_bitrate = 200;
  cfg.g_lag_in_frames = 0;
  vpx_codec_ctx_t enc, dec;
  CHECK(vpx_codec_enc_init(&enc, vpx_codec_vp8_cx(), &cfg, 0) == VPX_CODEC_OK, "enc init");
  vpx_codec_control(&enc, VP8E_SET_CPUUSED, -8);
  CHECK(vpx_codec_dec_init(&dec, vpx_codec_vp8_dx(), NULL, 0) == VPX_CODEC_OK, "dec init");
  vpx_image_t img;
  CHECK(vpx_img_alloc(&img, VPX_IMG_FMT_I420, w, h, 16) != NULL, "img alloc");
  int frames = 0;
  size_t bytes = 0;
  for (int f = 0; f < 3; f++) {
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) img.planes[0][y * img.stride[0] + x] = (unsigned char)(x + y + f * 8);
    for (int y = 0; y < h / 2; y++) {
      memset(img.planes[1] + y * img.stride[1], 128, w / 2);
      memset(img.planes[2] + y * img.stride[2], 128, w / 2);
    }
    CHECK(vpx_codec_encode(&enc, &img, f, 1, 0, VPX_DL_REALTIME) == VPX_CODEC_OK, "encode");
    vpx_codec_iter_t it = NULL;
    const vpx_codec_cx_pkt_t *pkt;
    while ((pkt = vpx_codec_get_cx_data(&enc, &it)) != NULL) {
      if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
      bytes += pkt->data.frame.sz;
      CHECK(vpx_codec_decode(&dec, pkt->data.frame.buf, (unsigned)pkt->data.frame.sz, NULL, 0) ==
                VPX_CODEC_OK, "decode");
      vpx_codec_iter_t dit = NULL;
      vpx_image_t *out;
      while ((out = vpx_codec_get_frame(&dec, &dit)) != NULL) {
        CHECK((int)out->d_w == w && (int)out->d_h == h, "decoded size %ux%u", out->d_w, out->d_h);
        frames++;
      }
    }
  }
  CHECK(frames == 3, "decoded %d frames", frames);
  printf("          VP8 %dx%d: 3 frames, %u bytes, decoded ok\n", w, h, (unsigned)bytes);
  vpx_img_free(&img);
  vpx_codec_destroy(&enc);
  vpx_codec_destroy(&dec);
  return 0;
}

int main(void) {
  test_mbedtls();
  test_srtp();
  test_usrsctp();
  test_opus();
  test_vpx();
  if (failures) {
    printf("smoke: %d failure(s)\n", failures);
    return 1;
  }
  printf("smoke: all five libraries ok\n");
  return 0;
}
