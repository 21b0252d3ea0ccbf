// Interop with a DTLS stack that is not Mbed TLS: OpenSSL's `openssl
// s_client`, talking over a loopback UDP socket to our server Transport.
// It checks what the in-process tests cannot:
//  - the SRTP keys we export equal OpenSSL's own RFC 5705 exporter output
//    (-keymatexport EXTRACTOR-dtls_srtp), so the captured-master-secret
//    path is right, not just symmetric;
//  - a ClientHello that a foreign stack fragments (a small -mtu and a long
//    server name push it past the MTU) is joined correctly: the transcript
//    hashes agree or the Finished messages would not verify.
// Skipped when the openssl command is missing. Real time, bounded (15 s);
// traffic only on 127.0.0.1.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::load_data;

bool have_openssl() { return std::system("openssl version > /dev/null 2>&1") == 0; }

std::string data_path(const std::string& name) {
  return std::string(WASMRTC_TEST_DATA_DIR) + "/dtls/" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A child process group running `command` under /bin/sh.
class Child {
 public:
  explicit Child(const std::string& command) {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid_ > 0) setpgid(pid_, pid_);
  }
  ~Child() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);  // our own process group only
    waitpid(pid_, nullptr, 0);
  }
  // Waits up to `ms` for the shell to exit.
  bool wait_exit(int ms) {
    for (int i = 0; i < ms / 10; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      usleep(10000);
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
};

class LoopbackUdp {
 public:
  LoopbackUdp() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~LoopbackUdp() { close(fd_); }
  uint16_t port() const { return port_; }

  std::optional<Bytes> receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    Bytes buf(65536);
    socklen_t len = sizeof peer_;
    const ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&peer_), &len);
    if (n < 0) return std::nullopt;
    have_peer_ = true;
    buf.resize(static_cast<size_t>(n));
    return buf;
  }
  void send(const Bytes& d) {
    if (have_peer_) sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&peer_), sizeof peer_);
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  sockaddr_in peer_{};
  bool have_peer_ = false;
};

// "    Keying material: 0A1B..." from s_client's session printout.
std::optional<Bytes> keying_material(const std::string& output) {
  const std::string key = "Keying material: ";
  const size_t at = output.find(key);
  if (at == std::string::npos) return std::nullopt;
  const size_t end = output.find('\n', at);
  return base::from_hex(output.substr(at + key.size(), end - at - key.size()));
}

Bytes concat_keys(const SrtpKeys& k) {
  Bytes out = k.client_key;
  out.insert(out.end(), k.server_key.begin(), k.server_key.end());
  out.insert(out.end(), k.client_salt.begin(), k.client_salt.end());
  out.insert(out.end(), k.server_salt.begin(), k.server_salt.end());
  return out;
}

TEST(OpensslInterop, ServerTransportWithOpensslClient) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl command";
  const Certificate client_cert =
      Certificate::from_pem(read_file(data_path("openssl-p256-cert.pem")),
                            read_file(data_path("openssl-p256-key.pem")))
          .value();
  LoopbackUdp udp;
  base::SeededRandom random(11);
  Config config;
  config.role = Role::Server;
  config.certificate = test::cert_b();
  config.remote_fingerprints = {client_cert.fingerprint()};
  config.hello_verify = true;
  auto server = Transport::create(config, random).value();

  char out_path[] = "/tmp/wasmrtc-dtls-openssl-XXXXXX";
  const int out_fd = mkstemp(out_path);
  ASSERT_GE(out_fd, 0);
  close(out_fd);
  // A 200-character server name makes the ClientHello larger than the
  // 256-byte MTU, so OpenSSL sends it in fragments.
  const std::string command =
      "(printf 'hello from openssl\\n'; sleep 2) | openssl s_client -dtls1_2 -connect 127.0.0.1:" +
      std::to_string(udp.port()) + " -mtu 256 -servername " + std::string(200, 'x') +
      " -cert " + data_path("openssl-p256-cert.pem") + " -key " +
      data_path("openssl-p256-key.pem") +
      " -use_srtp SRTP_AES128_CM_SHA1_80 -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60 > " +
      out_path + " 2>&1";
  Child child(command);

  const auto start = std::chrono::steady_clock::now();
  auto now = [&] {
    return base::Timestamp::from_micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  };
  server->start(now());
  std::optional<Connected> connected;
  std::vector<Bytes> received;
  bool closed_by_peer = false;
  size_t client_datagrams = 0;
  size_t max_client_datagram = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(15) && !closed_by_peer &&
         server->state() != State::Failed) {
    int wait_ms = 100;
    if (auto d = server->poll_timeout(); d.is_set()) {
      wait_ms = static_cast<int>(std::clamp<int64_t>((d.value() - now()).ms(), 0, 100));
    }
    if (auto d = udp.receive(wait_ms)) {
      ++client_datagrams;
      max_client_datagram = std::max(max_client_datagram, d->size());
      server->handle_input(now(), *d);
    }
    if (server->poll_timeout().is_due(now())) server->handle_timeout(now());
    while (auto d = server->poll_transmit()) udp.send(*d);
    while (auto e = server->poll_event()) {
      if (auto* c = std::get_if<Connected>(&*e)) {
        connected = *c;
        ASSERT_TRUE(server->send(now(), base::to_bytes("hello from wasmrtc\n")).ok());
        while (auto d = server->poll_transmit()) udp.send(*d);
      } else if (auto* data = std::get_if<Data>(&*e)) {
        received.push_back(data->bytes);
      } else if (auto* c = std::get_if<Closed>(&*e)) {
        closed_by_peer = c->by_peer;
      } else if (auto* f = std::get_if<Failed>(&*e)) {
        ADD_FAILURE() << to_string(f->error) << ": " << f->detail;
      }
    }
  }
  child.wait_exit(3000);
  const std::string output = read_file(out_path);
  unlink(out_path);

  ASSERT_TRUE(connected.has_value()) << output;
  EXPECT_GE(server->stats().client_hellos_joined, 1u) << "OpenSSL did not fragment its ClientHello";
  EXPECT_LE(max_client_datagram, 256u);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0], base::to_bytes("hello from openssl\n"));
  EXPECT_TRUE(closed_by_peer);  // s_client sends close_notify at end of input
  EXPECT_NE(output.find("hello from wasmrtc"), std::string::npos) << output;
  EXPECT_EQ(connected->srtp_profile, SrtpProfile::Aes128CmHmacSha1_80);
  auto theirs = keying_material(output);
  ASSERT_TRUE(theirs.has_value()) << output;
  ASSERT_TRUE(connected->srtp_keys.has_value());
  EXPECT_EQ(concat_keys(*connected->srtp_keys), *theirs);
  EXPECT_GT(client_datagrams, 4u);
}

}  // namespace
}  // namespace wasmrtc::dtls
