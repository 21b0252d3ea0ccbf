// The allocation side of turn::Client: Allocate with its 401 / 438 / 300
// handling (RFC 8656 section 7, RFC 8489 sections 9.2 and 10), Refresh
// (section 8), deallocation, and the transaction machinery every request
// shares (RFC 8489 section 6.2). Permissions, channels and data are in
// relay.cc.
#include "turn/client.h"

#include <algorithm>
#include <utility>

#include "base/log.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"
#include "turn/client_impl.h"
#include "turn/constants.h"

namespace wasmrtc::turn {
namespace {

constexpr const char* kTag = "turn";

// After a Refresh fails for a reason other than 437, try again this much
// later, for as long as the allocation lasts (RFC 8656 section 8: the client
// "MUST refresh it before it expires").
constexpr base::Duration kRefreshRetry = base::Duration::seconds(5);

uint16_t method_of(Purpose p) {
  switch (p) {
    case Purpose::Allocate: return stun::method::kAllocate;
    case Purpose::Refresh:
    case Purpose::Deallocate: return stun::method::kRefresh;
    case Purpose::CreatePermission: return stun::method::kCreatePermission;
    case Purpose::ChannelBind: return stun::method::kChannelBind;
  }
  return 0;
}

// A fresh request for the same purpose and target, e.g. after a 438.
Request retry_of(const Request& r) {
  Request next;
  next.purpose = r.purpose;
  next.peer_ip = r.peer_ip;
  next.peer = r.peer;
  next.channel = r.channel;
  next.stale_nonce_retries = r.stale_nonce_retries;
  return next;
}

std::string describe(const Failure& f, const char* what) {
  std::string out = what;
  if (f.code == 0) {
    out += f.reason.empty() ? ": no response from the TURN server" : ": " + f.reason;
  } else {
    out += " failed: " + std::to_string(f.code);
    if (!f.reason.empty()) out += " " + f.reason;
  }
  return out;
}

}  // namespace

const char* to_string(State s) {
  switch (s) {
    case State::New: return "new";
    case State::Allocating: return "allocating";
    case State::Allocated: return "allocated";
    case State::Failed: return "failed";
    case State::Closing: return "closing";
    case State::Closed: return "closed";
  }
  return "unknown";
}

const char* to_string(Error e) {
  switch (e) {
    case Error::NotAllocated: return "no TURN allocation";
    case Error::PeerFamilyMismatch: return "peer address family differs from the relayed address";
    case Error::TooLarge: return "payload too large for a TURN message";
  }
  return "unknown TURN error";
}

// --- Impl: basics. ---------------------------------------------------------

Client::Impl::Impl(Config c, base::Random& r)
    : config(std::move(c)), random(r), server(config.server) {
  auth.username = config.username;
  auth.password = config.password;
}

stun::TransactionId Client::Impl::new_transaction_id() {
  stun::TransactionId id{};
  random.fill(id);
  return id;
}

void Client::Impl::transmit(base::Bytes bytes) {
  transmits.push_back(Transmit{server, std::move(bytes)});
}

// --- Transactions (RFC 8489 section 6.2). ----------------------------------

void Client::Impl::start_allocate(base::Timestamp now) {
  Request r;
  r.purpose = Purpose::Allocate;
  send_request(now, std::move(r));
}

void Client::Impl::send_request(base::Timestamp now, Request r) {
  r.id = new_transaction_id();
  stun::Message m;
  switch (r.purpose) {
    case Purpose::Allocate:
      m = allocate_request(r.id, config.family, config.requested_lifetime, config.software);
      break;
    case Purpose::Refresh:
      m = refresh_request(r.id, config.requested_lifetime, config.software);
      break;
    case Purpose::Deallocate:
      m = refresh_request(r.id, base::Duration::zero(), config.software);
      break;
    case Purpose::CreatePermission: m = create_permission_request(r.id, r.peer_ip); break;
    case Purpose::ChannelBind: m = channel_bind_request(r.id, r.channel, r.peer); break;
  }
  auto wire = finish_request(m, auth);
  if (!wire) {
    on_failure(now, r,
               Failure{0, "cannot encode the request (" +
                              std::string(stun::to_string(wire.error())) + ")"},
               nullptr);
    return;
  }
  r.wire = std::move(*wire);
  r.key = auth.key;
  r.timer = RequestTimer(stream(), now);
  r.first_sent = now;
  transmit(r.wire);
  requests.push_back(std::move(r));
}

void Client::Impl::on_input(base::Timestamp now, base::ByteView bytes) {
  if (state == State::Failed || state == State::Closed) return;
  auto dispatch = [&](base::ByteView message) {
    if (message.empty()) {
      ++stats.dropped_malformed;
    } else if (is_stun_first_byte(message[0])) {
      on_stun(now, message);
    } else if (is_channel_data_first_byte(message[0])) {
      on_channel_data(message);
    } else {
      // RFC 8656 section 12, table 3: other first bytes are not TURN.
      ++stats.dropped_malformed;
    }
  };
  if (!stream()) {
    dispatch(bytes);
    return;
  }
  std::vector<Frame> frames;
  auto framed = framer.push(bytes, frames);
  for (const Frame& f : frames) {
    if (state == State::Failed || state == State::Closed) return;
    dispatch(f.bytes);
  }
  if (!framed && state != State::Failed && state != State::Closed) {
    // Nothing after a lost boundary can be trusted: the stream is done.
    WASMRTC_LOG(base::LogLevel::Warn, kTag) << "stream framing: " << to_string(framed.error());
    if (state == State::Closing) {
      finish_closed();
    } else {
      fail(0, std::string("TURN stream unusable: ") + to_string(framed.error()));
    }
  }
}

void Client::Impl::on_stun(base::Timestamp now, base::ByteView raw) {
  auto parsed = stun::parse(raw);
  if (!parsed) {
    ++stats.dropped_malformed;
    return;
  }
  const stun::Message& m = *parsed;
  switch (m.message_class) {
    case stun::MessageClass::Indication:
      if (m.method == stun::method::kData) {
        on_data_indication(m);
      } else {
        ++stats.dropped_malformed;
      }
      return;
    case stun::MessageClass::Request:
      // A TURN client answers no requests.
      ++stats.dropped_malformed;
      return;
    case stun::MessageClass::SuccessResponse:
    case stun::MessageClass::ErrorResponse: break;
  }
  auto it = std::find_if(requests.begin(), requests.end(), [&](const Request& r) {
    return r.id == m.transaction_id && method_of(r.purpose) == m.method;
  });
  if (it == requests.end()) {
    // RFC 8489 section 6.3.3/6.3.4: no matching transaction, discard.
    ++stats.ignored_responses;
    return;
  }
  // RFC 8489 section 9.2.5: a response to an authenticated request that
  // carries MESSAGE-INTEGRITY(-SHA256) must match our key.
  if (!it->key.empty()) {
    bool present = true;
    bool valid = true;
    if (m.has(stun::attr::kMessageIntegrity)) {
      valid = stun::check_message_integrity(raw, it->key).ok();
    } else if (m.has(stun::attr::kMessageIntegritySha256)) {
      valid = stun::check_message_integrity_sha256(raw, it->key).ok();
    } else {
      present = false;
    }
    if (present && !valid) {
      ++stats.ignored_responses;
      WASMRTC_LOG(base::LogLevel::Debug, kTag) << "response failed MESSAGE-INTEGRITY";
      // Over UDP it is "as if never received"; over a reliable transport the
      // transaction fails.
      if (!stream()) return;
      Request req = std::move(*it);
      requests.erase(it);
      on_failure(now, req, Failure{0, "response failed MESSAGE-INTEGRITY"}, nullptr);
      return;
    }
  }
  Request req = std::move(*it);
  requests.erase(it);
  on_response(now, std::move(req), m);
}

void Client::Impl::on_response(base::Timestamp now, Request req, const stun::Message& m) {
  if (m.message_class == stun::MessageClass::SuccessResponse) {
    // RFC 8489 section 6.3.3: unknown comprehension-required attributes in a
    // success response make the transaction fail.
    if (!stun::unknown_comprehension_required(m, kKnownComprehensionRequired).empty()) {
      on_failure(now, req, Failure{0, "unknown comprehension-required attribute in response"},
                 nullptr);
      return;
    }
    on_success(now, req, m);
    return;
  }
  Failure f{0, "error response without a valid ERROR-CODE"};
  if (auto ec = stun::error_code_of(m)) f = Failure{ec->code, ec->reason};

  // RFC 8489 section 9.2.5: a 401 to the first, unauthenticated request
  // carries the realm and nonce to authenticate with.
  if (f.code == stun::error_code::kUnauthenticated && req.key.empty()) {
    auto realm = stun::realm(m);
    auto nonce = stun::nonce(m);
    if (realm && nonce) {
      auth.challenge(*realm, *nonce);
      send_request(now, retry_of(req));
      return;
    }
  }
  // RFC 8489 section 9.2.5 / RFC 8656 section 8.3: 438 Stale Nonce, retry
  // with the new nonce (for any request).
  if (f.code == stun::error_code::kStaleNonce && req.stale_nonce_retries < kMaxStaleNonceRetries) {
    auto nonce = stun::nonce(m);
    auto realm = stun::realm(m);
    const std::string new_realm = realm ? *realm : auth.realm;
    if (nonce && !new_realm.empty()) {
      auth.challenge(new_realm, *nonce);
      Request next = retry_of(req);
      ++next.stale_nonce_retries;
      send_request(now, std::move(next));
      return;
    }
  }
  on_failure(now, req, f, &m);
}

void Client::Impl::on_success(base::Timestamp now, const Request& req, const stun::Message& m) {
  switch (req.purpose) {
    case Purpose::Allocate: on_allocate_success(now, req, m); return;
    case Purpose::Refresh: on_refresh_result(now, req, &m, nullptr); return;
    case Purpose::Deallocate: finish_closed(); return;
    case Purpose::CreatePermission: on_permission_result(now, req, nullptr); return;
    case Purpose::ChannelBind: on_channel_result(now, req, nullptr); return;
  }
}

void Client::Impl::on_failure(base::Timestamp now, const Request& req, const Failure& f,
                              const stun::Message* response) {
  switch (req.purpose) {
    case Purpose::Allocate:
      if (f.code == stun::error_code::kTryAlternate && response != nullptr) {
        // RFC 8656 section 7.4, RFC 8489 section 10: try the alternate server.
        auto alternate = stun::alternate_server(*response);
        if (!alternate) {
          fail(f.code, "300 Try Alternate without a valid ALTERNATE-SERVER");
        } else if (stream()) {
          // The stream is tied to this server: the embedder reconnects.
          state = State::Failed;
          requests.clear();
          drop_relay_state();
          events.push_back(Redirected{*alternate});
        } else if (redirects >= kMaxRedirects) {
          fail(f.code, "too many 300 Try Alternate redirects");
        } else if (alternate->family() != server.family()) {
          fail(f.code,
               "ALTERNATE-SERVER " + alternate->to_string() + " is of another address family");
        } else {
          ++redirects;
          WASMRTC_LOG(base::LogLevel::Info, kTag)
              << "redirected from " << server.to_string() << " to " << alternate->to_string();
          server = *alternate;
          // The realm and nonce belong to the old server.
          auth.reset();
          start_allocate(now);
        }
        return;
      }
      fail(f.code, describe(f, "Allocate"));
      return;
    case Purpose::Refresh: on_refresh_result(now, req, nullptr, &f); return;
    case Purpose::Deallocate:
      // RFC 8656 section 8.3: a 437 means it is already gone; on any other
      // failure there is nothing more to try.
      finish_closed();
      return;
    case Purpose::CreatePermission:
    case Purpose::ChannelBind:
      // RFC 8656 section 5: a 437 to any request but Allocate means the
      // allocation no longer exists.
      if (f.code == error_code::kAllocationMismatch) {
        fail(f.code, describe(f, "allocation lost"));
        return;
      }
      if (req.purpose == Purpose::CreatePermission) {
        on_permission_result(now, req, &f);
      } else {
        on_channel_result(now, req, &f);
      }
      return;
  }
}

// --- The allocation (RFC 8656 sections 7 and 8). ---------------------------

void Client::Impl::on_allocate_success(base::Timestamp now, const Request& req,
                                       const stun::Message& m) {
  auto relayed_address = xor_relayed_address(m);
  if (!relayed_address) {
    fail(0, "Allocate success response without a valid XOR-RELAYED-ADDRESS");
    return;
  }
  if (relayed_address->family() != config.family) {
    // Section 7.3: a family we cannot use; delete the allocation (one
    // best-effort Refresh with LIFETIME 0) and give up on this server.
    stun::Message d =
        refresh_request(new_transaction_id(), base::Duration::zero(), config.software);
    if (auto wire = finish_request(d, auth)) transmit(std::move(*wire));
    fail(error_code::kAddressFamilyNotSupported,
         "relayed address " + relayed_address->to_string() + " is of the wrong family");
    return;
  }
  auto reflexive = stun::xor_mapped_address(m);
  auto granted = turn::lifetime(m);
  // Section 7.3: remember the lifetime the server granted, not the one asked for.
  const base::Duration life = granted ? *granted : kDefaultLifetime;
  relayed = *relayed_address;
  mapped = reflexive ? std::optional<base::SocketAddress>(*reflexive) : std::nullopt;
  lifetime = life;
  state = State::Allocated;
  schedule_refresh(req.first_sent, life);
  events.push_back(Allocated{*relayed, mapped.value_or(base::SocketAddress{}), life});
  send_pending_permissions(now);
}

void Client::Impl::schedule_refresh(base::Timestamp sent, base::Duration granted) {
  // Counting from when the request was first sent errs on the early side:
  // the server started its clock when it received it.
  expires_at = sent + granted;
  base::Duration delay = granted > kRefreshMargin * 2 ? granted - kRefreshMargin : granted / 2;
  if (delay < kMinRefreshDelay) delay = kMinRefreshDelay;
  refresh_at = sent + delay;
}

void Client::Impl::on_refresh_result(base::Timestamp now, const Request& req,
                                     const stun::Message* ok, const Failure* f) {
  refresh_in_flight = false;
  if (ok != nullptr) {
    // Section 8.3: take the lifetime the server now grants.
    auto granted = turn::lifetime(*ok);
    const base::Duration life = granted ? *granted : config.requested_lifetime;
    if (life <= base::Duration::zero()) {
      fail(0, "the server refreshed the allocation with LIFETIME 0");
      return;
    }
    lifetime = life;
    schedule_refresh(req.first_sent, life);
    return;
  }
  // Section 8.3: 437 means the allocation no longer exists.
  if (f->code == error_code::kAllocationMismatch) {
    fail(f->code, describe(*f, "allocation lost: Refresh"));
    return;
  }
  WASMRTC_LOG(base::LogLevel::Warn, kTag) << describe(*f, "Refresh") << "; retrying";
  // Retry while the allocation lasts; the expiry deadline ends it otherwise.
  refresh_at = now + kRefreshRetry;
}

void Client::Impl::on_timeout(base::Timestamp now) {
  if (state == State::New || state == State::Failed || state == State::Closed) return;
  std::vector<stun::TransactionId> due;
  for (const Request& r : requests) {
    if (r.timer.deadline() <= now) due.push_back(r.id);
  }
  for (const stun::TransactionId& id : due) {
    auto it = std::find_if(requests.begin(), requests.end(),
                           [&](const Request& r) { return r.id == id; });
    if (it == requests.end()) continue;
    switch (it->timer.on_timeout(now)) {
      case RequestTimer::Step::Wait: break;
      case RequestTimer::Step::Retransmit:
        ++stats.retransmissions;
        transmit(it->wire);
        break;
      case RequestTimer::Step::GiveUp: {
        Request req = std::move(*it);
        requests.erase(it);
        on_failure(now, req, Failure{0, ""}, nullptr);
        break;
      }
    }
    if (state == State::Failed || state == State::Closed) return;
  }
  if (state != State::Allocated) return;
  if (expires_at.is_due(now)) {
    fail(0, "allocation expired without a successful Refresh");
    return;
  }
  if (!refresh_in_flight && refresh_at.expire_if_due(now)) {
    refresh_in_flight = true;
    Request r;
    r.purpose = Purpose::Refresh;
    send_request(now, std::move(r));
    if (state != State::Allocated) return;
  }
  on_relay_timers(now);
}

base::Deadline Client::Impl::next_deadline() const {
  base::Deadline d;
  if (state == State::New || state == State::Failed || state == State::Closed) return d;
  for (const Request& r : requests) d.merge(r.timer.deadline());
  if (state == State::Allocated) {
    if (!refresh_in_flight) d.merge(refresh_at);
    d.merge(expires_at);
    d.merge(relay_deadline());
  }
  return d;
}

void Client::Impl::drop_relay_state() {
  for (const Permission& p : permissions) stats.dropped_sends += p.queue.size();
  permissions.clear();
  channels.clear();
  refresh_at.clear();
  expires_at.clear();
  refresh_in_flight = false;
  relayed.reset();
}

void Client::Impl::fail(int code, std::string reason) {
  WASMRTC_LOG(base::LogLevel::Warn, kTag) << "allocation failed: " << reason;
  state = State::Failed;
  requests.clear();
  drop_relay_state();
  events.push_back(AllocationFailed{code, std::move(reason)});
}

void Client::Impl::finish_closed() {
  state = State::Closed;
  requests.clear();
  drop_relay_state();
  events.push_back(Closed{});
}

// --- Client. ---------------------------------------------------------------

Client::Client(Config config, base::Random& random)
    : impl_(std::make_unique<Impl>(std::move(config), random)) {}

Client::~Client() = default;

void Client::allocate(base::Timestamp now) {
  if (impl_->state != State::New) return;
  impl_->state = State::Allocating;
  impl_->start_allocate(now);
}

void Client::handle_input(base::Timestamp now, base::ByteView bytes) {
  impl_->on_input(now, bytes);
}

void Client::handle_timeout(base::Timestamp now) { impl_->on_timeout(now); }

void Client::create_permission(base::Timestamp now, const base::IpAddress& peer) {
  impl_->create_permission(now, peer);
}

base::Result<void, Error> Client::send_to(base::Timestamp now, const base::SocketAddress& peer,
                                          base::ByteView data) {
  return impl_->send_to(now, peer, data);
}

void Client::close(base::Timestamp now) {
  Impl& s = *impl_;
  switch (s.state) {
    case State::Closing:
    case State::Closed: return;
    case State::Allocated: {
      // RFC 8656 section 8.1: LIFETIME 0 deletes the allocation.
      s.requests.clear();
      s.drop_relay_state();
      s.state = State::Closing;
      Request r;
      r.purpose = Purpose::Deallocate;
      s.send_request(now, std::move(r));
      return;
    }
    case State::New:
    case State::Allocating:
    case State::Failed: s.finish_closed(); return;
  }
}

std::optional<Transmit> Client::poll_transmit() {
  if (impl_->transmits.empty()) return std::nullopt;
  Transmit t = std::move(impl_->transmits.front());
  impl_->transmits.pop_front();
  return t;
}

std::optional<Event> Client::poll_event() {
  if (impl_->events.empty()) return std::nullopt;
  Event e = std::move(impl_->events.front());
  impl_->events.pop_front();
  return e;
}

base::Deadline Client::poll_timeout() const { return impl_->next_deadline(); }

State Client::state() const { return impl_->state; }

const Config& Client::config() const { return impl_->config; }

std::optional<base::SocketAddress> Client::relayed_address() const { return impl_->relayed; }

std::optional<base::SocketAddress> Client::mapped_address() const {
  if (impl_->state != State::Allocated) return std::nullopt;
  return impl_->mapped;
}

bool Client::is_server(const base::SocketAddress& from) const { return from == impl_->server; }

Stats Client::stats() const { return impl_->stats; }

}  // namespace wasmrtc::turn
