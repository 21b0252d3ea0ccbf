// Internal: usrsctp's process-wide state, owned in one place.
//
// usrsctp is a global library: one init, one timer wheel, one output
// callback for every socket in the process. This module
//  - initialises it with usrsctp_init_nothreads() on first use and shuts it
//    down when the last user goes (reference counted, see UsrsctpLibrary);
//  - sets the process-wide sysctls once;
//  - maps AF_CONN addresses to the association that owns them, so the one
//    output callback can queue each packet into the right association
//    (an address is a small integer handle, never a pointer: a packet for
//    an association that is gone is dropped);
//  - drives usrsctp's timers from the callers' `now`: usrsctp only learns
//    that time passed through usrsctp_handle_timers(elapsed_ms), which
//    advance_clock() calls with the whole milliseconds since the last call.
//
// Threading: none. Every call, and every Association call, must come from
// one thread (the usrsctp library is built without threads under Emscripten
// and used without them natively). Callbacks from usrsctp happen only
// synchronously inside usrsctp calls made by this layer, and they only
// append to queues (never call back into usrsctp).
#pragma once

#include <sys/time.h>

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/time.h"

namespace wasmrtc::sctp::detail {

// Where the output callback puts the packets of one AF_CONN address.
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  // One SCTP packet for the peer. Called from inside usrsctp: must only queue.
  virtual void on_packet(base::ByteView packet) = 0;
};

// A reference to the initialised library. The first one initialises
// usrsctp; when the last one goes, usrsctp_finish() is tried (it refuses
// while any socket still exists, in which case the library stays up and is
// reused by the next reference).
class UsrsctpLibrary {
 public:
  UsrsctpLibrary();
  ~UsrsctpLibrary();
  UsrsctpLibrary(const UsrsctpLibrary&) = delete;
  UsrsctpLibrary& operator=(const UsrsctpLibrary&) = delete;

  // Live references (for tests).
  static int references();
  // Whether usrsctp is currently initialised (for tests).
  static bool initialized();
};

// Allocates an AF_CONN address for `sink` and registers it with usrsctp
// (usrsctp_register_address). The returned value, cast to void*, is the
// sconn_addr of the association's socket. Never 0.
uintptr_t register_address(PacketSink* sink);
// Deregisters it; later packets for it are dropped.
void deregister_address(uintptr_t address);

// Runs usrsctp's timers up to `now`. All callers in the process must use
// one clock; a `now` earlier than the last one is ignored.
void advance_clock(base::Timestamp now);
// The last time passed to advance_clock (nullopt before the first call).
std::optional<base::Timestamp> clock_now();

}  // namespace wasmrtc::sctp::detail

// usrsctp reads gettimeofday() on its own: for RTT samples, to pick which
// chunks a T3 timeout retransmits (those outstanding for an RTO by that
// clock), and for cookie and PR-SCTP lifetimes. This is the embedders'
// clock instead: the latest `now` given to advance_clock() (real time
// before the first one). A usrsctp compiled with
// -Dgettimeofday=wasmrtc_usrsctp_gettimeofday runs wholly on it; the
// native tests interpose gettimeofday() with it so that simulated time
// works (test/native/sctp/sim.cc). Otherwise usrsctp's wall clock and the
// embedder's `now` must advance together, as real time does.
extern "C" int wasmrtc_usrsctp_gettimeofday(struct timeval* tv, void* tz);
