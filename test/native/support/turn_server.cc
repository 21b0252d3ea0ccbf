#include "support/turn_server.h"

#include <algorithm>

#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"
#include "turn/constants.h"

namespace wasmrtc::turn::test {
namespace {

stun::Message error_response(const stun::Message& request, uint16_t code, const char* reason) {
  stun::Message r(stun::MessageClass::ErrorResponse, request.method, request.transaction_id);
  stun::add_error_code(r, code, reason);
  return r;
}

stun::Message success_response(const stun::Message& request) {
  return stun::Message(stun::MessageClass::SuccessResponse, request.method, request.transaction_id);
}

// Every XOR-PEER-ADDRESS of a CreatePermission (RFC 8656 section 10.1 allows several).
std::vector<base::SocketAddress> peer_addresses(const stun::Message& m) {
  std::vector<base::SocketAddress> out;
  for (const stun::Attribute* a : m.effective_attributes()) {
    if (a->type != attr::kXorPeerAddress) continue;
    if (auto addr = stun::decode_xor_address(a->value, m.transaction_id)) out.push_back(*addr);
  }
  return out;
}

}  // namespace

TestServer::TestServer(ServerOptions options)
    : options_(std::move(options)), next_port_(options_.first_relay_port) {
  key_ = stun::long_term_key(options_.username, options_.realm, options_.password);
  new_nonce();
}

void TestServer::redirect(const base::SocketAddress& alternate, int count) {
  alternate_ = alternate;
  redirects_ += count;
}

void TestServer::fail_next(uint16_t method, uint16_t code, int count) {
  faults_.push_back(Fault{method, code, count});
}

void TestServer::drop_allocation(const base::SocketAddress& client) {
  state_of(client).allocation.reset();
}

void TestServer::new_nonce() { nonce_ = "nonce-" + std::to_string(++nonce_counter_); }

TestServer::ClientState& TestServer::state_of(const base::SocketAddress& client) {
  return clients_[client.to_string()];
}

const TestServer::Allocation* TestServer::live_allocation(const base::SocketAddress& client,
                                                          base::Timestamp now) const {
  auto it = clients_.find(client.to_string());
  if (it == clients_.end() || !it->second.allocation) return nullptr;
  if (now >= it->second.allocation->expires) return nullptr;
  return &*it->second.allocation;
}

TestServer::Allocation* TestServer::live_allocation(const base::SocketAddress& client,
                                                    base::Timestamp now) {
  const TestServer* self = this;
  return const_cast<Allocation*>(self->live_allocation(client, now));
}

void TestServer::send(const base::SocketAddress& client, base::Bytes bytes) {
  to_client_.push_back(ToClient{client, std::move(bytes)});
}

// --- Input. --------------------------------------------------------------------

void TestServer::handle_from_client(base::Timestamp now, const base::SocketAddress& client,
                                    base::ByteView bytes) {
  if (options_.transport == Transport::Datagram) {
    on_message(now, client, bytes);
    return;
  }
  std::vector<Frame> frames;
  auto framed = state_of(client).framer.push(bytes, frames);
  for (const Frame& f : frames) on_message(now, client, f.bytes);
  if (!framed) ++dropped_;
}

void TestServer::on_message(base::Timestamp now, const base::SocketAddress& client,
                            base::ByteView bytes) {
  if (bytes.empty()) {
    ++dropped_;
    return;
  }
  if (is_channel_data_first_byte(bytes[0])) {
    on_channel_data(now, client, bytes);
    return;
  }
  auto m = stun::parse(bytes);
  if (!m) {
    ++dropped_;
    return;
  }
  if (m->message_class == stun::MessageClass::Request) {
    on_request(now, client, bytes, *m);
  } else if (m->message_class == stun::MessageClass::Indication &&
             m->method == stun::method::kSend) {
    on_send_indication(now, client, *m);
  } else {
    ++dropped_;
  }
}

void TestServer::on_request(base::Timestamp now, const base::SocketAddress& client,
                            base::ByteView raw, const stun::Message& m) {
  ClientState& s = state_of(client);
  ReceivedRequest log;
  log.at = now;
  log.client = client;
  log.method = m.method;
  log.authenticated = m.has(stun::attr::kMessageIntegrity);
  if (auto l = lifetime(m)) log.lifetime = *l;
  if (auto c = channel_number(m)) log.channel = *c;
  auto cached = s.answered.find(m.transaction_id);
  log.retransmission = cached != s.answered.end();
  requests_.push_back(log);
  if (silent_) return;
  // RFC 8489 section 6.3.1: a retransmitted request gets the same answer.
  if (cached != s.answered.end()) {
    send(client, cached->second);
    return;
  }

  bool sign = false;
  stun::Message response;
  if (!options_.require_auth) {
    response = handle(now, client, m);
  } else if (!m.has(stun::attr::kMessageIntegrity)) {
    // RFC 8489 section 9.2.4: challenge with realm and nonce.
    response = error_response(m, stun::error_code::kUnauthenticated, "Unauthenticated");
    stun::add_realm(response, options_.realm);
    stun::add_nonce(response, nonce_);
  } else if (stun::username(m).value_or("") != options_.username ||
             !stun::check_message_integrity(raw, key_).ok()) {
    response = error_response(m, stun::error_code::kUnauthenticated, "Unauthenticated");
    stun::add_realm(response, options_.realm);
    stun::add_nonce(response, nonce_);
  } else if (stun::nonce(m).value_or("") != nonce_ || stale_nonces_ > 0) {
    if (stale_nonces_ > 0) {
      --stale_nonces_;
      new_nonce();
    }
    response = error_response(m, stun::error_code::kStaleNonce, "Stale Nonce");
    stun::add_realm(response, options_.realm);
    stun::add_nonce(response, nonce_);
  } else {
    sign = true;
    response = handle(now, client, m);
  }
  base::Bytes bytes = finish(response, sign);
  s.answered[m.transaction_id] = bytes;
  if (sign && corrupt_integrity_ > 0) {
    // Only this copy: a retransmission gets the intact answer, as if an
    // attacker had raced the real one.
    --corrupt_integrity_;
    bytes.back() ^= 0x01;  // MESSAGE-INTEGRITY is last
  }
  send(client, std::move(bytes));
}

stun::Message TestServer::handle(base::Timestamp now, const base::SocketAddress& client,
                                 const stun::Message& m) {
  for (Fault& f : faults_) {
    if (f.method == m.method && f.count > 0) {
      --f.count;
      return error_response(m, f.code, "Injected");
    }
  }
  ClientState& s = state_of(client);
  Allocation* a = live_allocation(client, now);
  // RFC 8656 section 7.2 / 8.2: the lifetime the server grants.
  auto granted = [&](std::optional<base::Duration> asked) {
    if (!asked) return options_.default_lifetime;
    base::Duration l = std::min(*asked, options_.max_lifetime);
    return l > options_.default_lifetime ? l : options_.default_lifetime;
  };

  switch (m.method) {
    case stun::method::kAllocate: {
      if (alternate_ && redirects_ > 0) {
        --redirects_;
        stun::Message r = error_response(m, stun::error_code::kTryAlternate, "Try Alternate");
        stun::add_alternate_server(r, *alternate_);
        return r;
      }
      if (a != nullptr)
        return error_response(m, error_code::kAllocationMismatch, "Allocation Mismatch");
      auto transport = requested_transport(m);
      if (!transport) return error_response(m, stun::error_code::kBadRequest, "Bad Request");
      if (*transport != kProtocolUdp) {
        return error_response(m, error_code::kUnsupportedTransportProtocol,
                              "Unsupported Transport");
      }
      if (auto family = requested_address_family(m);
          family && *family != options_.relay_ip.family()) {
        return error_response(m, error_code::kAddressFamilyNotSupported,
                              "Address Family not Supported");
      }
      std::optional<base::Duration> asked;
      if (auto l = lifetime(m)) asked = *l;
      const base::Duration life = granted(asked);
      Allocation fresh;
      fresh.relayed = base::SocketAddress{options_.relay_ip, next_port_++};
      fresh.expires = now + life;
      s.allocation = fresh;
      stun::Message r = success_response(m);
      add_xor_relayed_address(r, fresh.relayed);
      stun::add_xor_mapped_address(r, client);
      add_lifetime(r, life);
      stun::add_software(r, "wasmrtc-test-server");
      return r;
    }
    case stun::method::kRefresh: {
      if (a == nullptr)
        return error_response(m, error_code::kAllocationMismatch, "Allocation Mismatch");
      std::optional<base::Duration> asked;
      if (auto l = lifetime(m)) asked = *l;
      stun::Message r = success_response(m);
      if (asked && *asked == base::Duration::zero()) {
        // Section 8.2: a desired lifetime of zero deletes the allocation.
        s.allocation.reset();
        add_lifetime(r, base::Duration::zero());
        return r;
      }
      const base::Duration life = granted(asked);
      a->expires = now + life;
      add_lifetime(r, life);
      return r;
    }
    case stun::method::kCreatePermission: {
      if (a == nullptr)
        return error_response(m, error_code::kAllocationMismatch, "Allocation Mismatch");
      auto peers = peer_addresses(m);
      if (peers.empty()) return error_response(m, stun::error_code::kBadRequest, "Bad Request");
      for (const base::SocketAddress& p : peers) {
        if (p.family() != a->relayed.family()) {
          return error_response(m, error_code::kPeerAddressFamilyMismatch,
                                "Peer Address Family Mismatch");
        }
      }
      for (const base::SocketAddress& p : peers) {
        auto it = std::find_if(a->permissions.begin(), a->permissions.end(),
                               [&](const Permit& x) { return x.ip == p.ip; });
        if (it == a->permissions.end()) {
          a->permissions.push_back(Permit{p.ip, now + kPermissionLifetime});
        } else {
          it->expires = now + kPermissionLifetime;
        }
      }
      return success_response(m);
    }
    case stun::method::kChannelBind: {
      if (a == nullptr)
        return error_response(m, error_code::kAllocationMismatch, "Allocation Mismatch");
      auto number = channel_number(m);
      auto peer = xor_peer_address(m);
      // Section 12.2's checks.
      if (!number || !peer || !is_valid_channel(*number)) {
        return error_response(m, stun::error_code::kBadRequest, "Bad Request");
      }
      if (peer->family() != a->relayed.family()) {
        return error_response(m, error_code::kPeerAddressFamilyMismatch,
                              "Peer Address Family Mismatch");
      }
      Binding* existing = nullptr;
      for (Binding& b : a->channels) {
        if (now >= b.expires) continue;
        const bool same_number = b.number == *number;
        const bool same_peer = b.peer == *peer;
        if (same_number != same_peer) {
          return error_response(m, stun::error_code::kBadRequest, "Bad Request");
        }
        if (same_number) existing = &b;
      }
      if (existing != nullptr) {
        existing->expires = now + kChannelLifetime;
      } else {
        std::erase_if(a->channels, [&](const Binding& b) { return b.number == *number; });
        a->channels.push_back(Binding{*number, *peer, now + kChannelLifetime});
      }
      // Section 12.2: binding also installs or refreshes the permission.
      auto it = std::find_if(a->permissions.begin(), a->permissions.end(),
                             [&](const Permit& x) { return x.ip == peer->ip; });
      if (it == a->permissions.end()) {
        a->permissions.push_back(Permit{peer->ip, now + kPermissionLifetime});
      } else {
        it->expires = now + kPermissionLifetime;
      }
      return success_response(m);
    }
    default: return error_response(m, stun::error_code::kBadRequest, "Bad Request");
  }
}

base::Bytes TestServer::finish(stun::Message& response, bool sign) {
  stun::SerializeOptions options;
  if (sign) options.message_integrity_key = key_;
  return stun::serialize(response, options).value();
}

void TestServer::on_send_indication(base::Timestamp now, const base::SocketAddress& client,
                                    const stun::Message& m) {
  ++send_indications_;
  const Allocation* a = live_allocation(client, now);
  auto peer = xor_peer_address(m);
  auto payload = get_data(m);
  if (a == nullptr || !peer || !payload || !permission_alive(client, peer->ip, now)) {
    ++dropped_;
    return;
  }
  to_peer_.push_back(ToPeer{a->relayed, *peer, base::Bytes(payload->begin(), payload->end())});
}

void TestServer::on_channel_data(base::Timestamp now, const base::SocketAddress& client,
                                 base::ByteView bytes) {
  ++channel_data_messages_;
  const Allocation* a = live_allocation(client, now);
  auto message = decode_channel_data(bytes);
  if (a == nullptr || !message) {
    ++dropped_;
    return;
  }
  for (const Binding& b : a->channels) {
    if (b.number != message->channel || now >= b.expires) continue;
    if (!permission_alive(client, b.peer.ip, now)) break;
    to_peer_.push_back(
        ToPeer{a->relayed, b.peer, base::Bytes(message->data.begin(), message->data.end())});
    return;
  }
  ++dropped_;
}

void TestServer::handle_from_peer(base::Timestamp now, const base::SocketAddress& peer,
                                  const base::SocketAddress& relayed, base::ByteView data) {
  for (auto& [name, s] : clients_) {
    if (!s.allocation || s.allocation->relayed != relayed || now >= s.allocation->expires) continue;
    const Allocation& a = *s.allocation;
    // Section 9: only peers with a live permission get through.
    auto permit = std::find_if(a.permissions.begin(), a.permissions.end(),
                               [&](const Permit& p) { return p.ip == peer.ip && now < p.expires; });
    if (permit == a.permissions.end()) break;
    const base::SocketAddress client = *base::SocketAddress::parse(name);
    // Section 11.3 / 12.7: ChannelData when a channel is bound, else a Data indication.
    for (const Binding& b : a.channels) {
      if (b.peer == peer && now < b.expires) {
        send(client, encode_channel_data(b.number, data, options_.transport == Transport::Stream));
        return;
      }
    }
    stun::TransactionId id{};
    const int n = ++nonce_counter_;
    for (size_t i = 0; i < 4; ++i) id[i] = static_cast<uint8_t>(n >> (8 * i));
    stun::Message m(stun::MessageClass::Indication, stun::method::kData, id);
    add_xor_peer_address(m, peer);
    add_data(m, data);
    send(client, stun::serialize(m).value());
    return;
  }
  ++dropped_;
}

// --- Output and inspection. ------------------------------------------------------

std::optional<ToClient> TestServer::poll_to_client() {
  if (to_client_.empty()) return std::nullopt;
  ToClient t = std::move(to_client_.front());
  to_client_.pop_front();
  return t;
}

std::optional<ToPeer> TestServer::poll_to_peer() {
  if (to_peer_.empty()) return std::nullopt;
  ToPeer t = std::move(to_peer_.front());
  to_peer_.pop_front();
  return t;
}

int TestServer::count(uint16_t method) const {
  return static_cast<int>(
      std::count_if(requests_.begin(), requests_.end(),
                    [&](const ReceivedRequest& r) { return r.method == method; }));
}

std::optional<base::SocketAddress> TestServer::relayed_address(
    const base::SocketAddress& client) const {
  auto it = clients_.find(client.to_string());
  if (it == clients_.end() || !it->second.allocation) return std::nullopt;
  return it->second.allocation->relayed;
}

bool TestServer::allocation_alive(const base::SocketAddress& client, base::Timestamp now) const {
  return live_allocation(client, now) != nullptr;
}

bool TestServer::permission_alive(const base::SocketAddress& client, const base::IpAddress& peer,
                                  base::Timestamp now) const {
  const Allocation* a = live_allocation(client, now);
  if (a == nullptr) return false;
  return std::any_of(a->permissions.begin(), a->permissions.end(),
                     [&](const Permit& p) { return p.ip == peer && now < p.expires; });
}

std::optional<uint16_t> TestServer::channel_alive(const base::SocketAddress& client,
                                                  const base::SocketAddress& peer,
                                                  base::Timestamp now) const {
  const Allocation* a = live_allocation(client, now);
  if (a == nullptr) return std::nullopt;
  for (const Binding& b : a->channels) {
    if (b.peer == peer && now < b.expires) return b.number;
  }
  return std::nullopt;
}

}  // namespace wasmrtc::turn::test
