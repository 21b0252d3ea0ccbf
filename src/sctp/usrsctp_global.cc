#include "sctp/usrsctp_global.h"

#include <usrsctp.h>

#include <time.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "base/log.h"

#if defined(__EMSCRIPTEN__)
// usrsctp_register_address() ends in musl's if_indextoname(), whose ioctl
// (SIOCGIFNAME) Emscripten does not implement ("bad ioctl syscall 35088").
// There are no network interfaces in WebAssembly and AF_CONN addresses have
// none: this definition wins at link time over libc's and makes the lookup
// fail cleanly (usrsctp then leaves the interface name empty).
extern "C" char* if_indextoname(unsigned int, char*) { return nullptr; }
#endif

namespace wasmrtc::sctp::detail {
namespace {

struct Global {
  int references = 0;
  bool initialized = false;
  uintptr_t next_address = 1;
  std::unordered_map<uintptr_t, PacketSink*> sinks;
  // The time usrsctp's tick counter corresponds to (advanced in whole ms),
  // and the latest `now` seen.
  std::optional<base::Timestamp> tick_base;
  std::optional<base::Timestamp> last_now;
};

Global& global() {
  static Global g;
  return g;
}

// usrsctp's output callback for every AF_CONN socket (set in
// usrsctp_init_nothreads). Runs inside usrsctp, possibly with its locks
// held: it only copies the packet into the owner's queue.
int conn_output(void* addr, void* buffer, size_t length, uint8_t /*tos*/, uint8_t /*set_df*/) {
  auto& g = global();
  auto it = g.sinks.find(reinterpret_cast<uintptr_t>(addr));
  if (it == g.sinks.end()) return 0;  // the association is gone: drop
  it->second->on_packet(base::ByteView(static_cast<const uint8_t*>(buffer), length));
  return 0;
}

void debug_printf(const char* format, ...) {
  if (!base::log_enabled(base::LogLevel::Trace)) return;
  char line[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  size_t n = std::strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) --n;
  base::log_write(base::LogLevel::Trace, "usrsctp", std::string_view(line, n));
}

void initialize() {
  // Port 0: no UDP encapsulation (RFC 6951); SCTP only ever rides on DTLS
  // here (RFC 8261), through AF_CONN.
  usrsctp_init_nothreads(0, conn_output, debug_printf);
  // ECN needs the ECN bits of the IP header, which our UDP sockets (Node,
  // the browser gateway) never expose to the DTLS layer.
  usrsctp_sysctl_set_sctp_ecn_enable(0);
  // Over DTLS an association is single-homed with no IP addresses
  // (RFC 8261): nothing for ASCONF to do, and DTLS already authenticates
  // every packet, so SCTP-AUTH (which ASCONF would require) is off too.
  // Chromium's INIT offers neither.
  usrsctp_sysctl_set_sctp_asconf_enable(0);
  usrsctp_sysctl_set_sctp_auth_enable(0);
  // Needed by data channels: partial reliability (RFC 3758, RFC 8831
  // section 5) and stream reset for closing channels (RFC 6525).
  usrsctp_sysctl_set_sctp_pr_enable(1);
  usrsctp_sysctl_set_sctp_reconfig_enable(1);
  usrsctp_sysctl_set_sctp_nrsack_enable(0);
  usrsctp_sysctl_set_sctp_pktdrop_enable(0);
  // CRC32c (RFC 4960 appendix B) stays computed and checked in software:
  // peers such as dcSCTP verify it.
  global().initialized = true;
  WASMRTC_LOG(base::LogLevel::Debug, "sctp") << "usrsctp initialised (no threads)";
}

}  // namespace

UsrsctpLibrary::UsrsctpLibrary() {
  auto& g = global();
  if (g.references++ == 0 && !g.initialized) initialize();
}

UsrsctpLibrary::~UsrsctpLibrary() {
  auto& g = global();
  if (--g.references > 0) return;
  // Refused while sockets remain (e.g. ones still being torn down, which
  // would need timers to finish): then the library simply stays up.
  if (usrsctp_finish() == 0) {
    g.initialized = false;
    g.tick_base.reset();
    g.last_now.reset();
    WASMRTC_LOG(base::LogLevel::Debug, "sctp") << "usrsctp finished";
  } else {
    WASMRTC_LOG(base::LogLevel::Debug, "sctp") << "usrsctp_finish refused; staying initialised";
  }
}

int UsrsctpLibrary::references() { return global().references; }
bool UsrsctpLibrary::initialized() { return global().initialized; }

uintptr_t register_address(PacketSink* sink) {
  auto& g = global();
  uintptr_t address = g.next_address++;
  g.sinks[address] = sink;
  usrsctp_register_address(reinterpret_cast<void*>(address));
  return address;
}

void deregister_address(uintptr_t address) {
  auto& g = global();
  if (g.sinks.erase(address) == 0) return;
  usrsctp_deregister_address(reinterpret_cast<void*>(address));
}

void advance_clock(base::Timestamp now) {
  auto& g = global();
  if (!g.initialized) return;
  if (!g.last_now || now > *g.last_now) g.last_now = now;
  if (!g.tick_base) {
    g.tick_base = now;
    return;
  }
  if (now <= *g.tick_base) return;
  const int64_t ms = (now - *g.tick_base).ms();
  if (ms <= 0) return;
  // The sub-millisecond rest is carried to the next call.
  *g.tick_base += base::Duration::millis(ms);
  // One call per at most ~49 days of ticks (a uint32_t of milliseconds).
  usrsctp_handle_timers(static_cast<uint32_t>(ms));
}

std::optional<base::Timestamp> clock_now() { return global().last_now; }

}  // namespace wasmrtc::sctp::detail

extern "C" int wasmrtc_usrsctp_gettimeofday(struct timeval* tv, void* /*tz*/) {
  if (tv == nullptr) return 0;
  if (auto now = wasmrtc::sctp::detail::clock_now()) {
    // Any epoch does: usrsctp only compares these values with each other.
    // A fixed offset keeps them clear of zero, which it treats as "unset".
    const int64_t us = now->us() + int64_t{1'000'000'000} * 1'000'000;
    tv->tv_sec = static_cast<decltype(tv->tv_sec)>(us / 1'000'000);
    tv->tv_usec = static_cast<decltype(tv->tv_usec)>(us % 1'000'000);
    return 0;
  }
  // Not gettimeofday(): it may be this very function, interposed.
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = static_cast<decltype(tv->tv_usec)>(ts.tv_nsec / 1000);
  return 0;
}
