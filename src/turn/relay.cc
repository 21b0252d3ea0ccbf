// The relaying side of turn::Client: permissions (RFC 8656 sections 9 and
// 10), Send and Data indications (section 11), channels and ChannelData
// (section 12). The allocation and transactions are in client.cc.
#include <algorithm>
#include <utility>

#include "base/log.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"
#include "turn/client.h"
#include "turn/client_impl.h"
#include "turn/constants.h"
#include "turn/messages.h"

namespace wasmrtc::turn {
namespace {
constexpr const char* kTag = "turn";
}  // namespace

Permission* Client::Impl::find_permission(const base::IpAddress& ip) {
  for (Permission& p : permissions) {
    if (p.ip == ip) return &p;
  }
  return nullptr;
}

Channel* Client::Impl::find_channel(const base::SocketAddress& peer) {
  for (Channel& c : channels) {
    if (c.peer == peer) return &c;
  }
  return nullptr;
}

Channel* Client::Impl::find_channel(uint16_t number) {
  for (Channel& c : channels) {
    if (c.number == number) return &c;
  }
  return nullptr;
}

// --- Permissions (sections 9, 10). ------------------------------------------

Permission* Client::Impl::add_permission(const base::IpAddress& ip) {
  if (permissions.size() >= kMaxPermissions) {
    // The oldest no channel uses; a request of its still in flight finds
    // no permission when it ends (on_permission_result), and what waited
    // for it is dropped.
    auto unused = std::find_if(permissions.begin(), permissions.end(), [&](const Permission& p) {
      return std::none_of(channels.begin(), channels.end(), [&](const Channel& c) { return c.peer.ip == p.ip; });
    });
    if (unused == permissions.end()) return nullptr;
    ++stats.forgotten_permissions;
    stats.dropped_sends += unused->queue.size();
    permissions.erase(unused);
  }
  Permission fresh;
  fresh.ip = ip;
  permissions.push_back(std::move(fresh));
  return &permissions.back();
}

void Client::Impl::create_permission(base::Timestamp now, const base::IpAddress& ip) {
  if (state == State::Failed || state == State::Closing || state == State::Closed) return;
  Permission* p = find_permission(ip);
  if (p == nullptr) {
    p = add_permission(ip);
    if (p == nullptr) return;
  } else if (p->status == Permission::Status::Failed) {
    // An explicit call tries a failed permission again.
    p->status = Permission::Status::Unsent;
  } else {
    return;
  }
  // Before the allocation exists the request waits (send_pending_permissions).
  if (state == State::Allocated) request_permission(now, *p);
}

void Client::Impl::request_permission(base::Timestamp now, Permission& p) {
  if (p.in_flight) return;
  p.in_flight = true;
  p.refresh.clear();
  if (p.status == Permission::Status::Unsent) p.status = Permission::Status::Pending;
  Request r;
  r.purpose = Purpose::CreatePermission;
  r.peer_ip = p.ip;
  // `p` may not outlive this call: send_request can fail synchronously.
  send_request(now, std::move(r));
}

void Client::Impl::send_pending_permissions(base::Timestamp now) {
  std::vector<base::IpAddress> unsent;
  for (const Permission& p : permissions) {
    if (p.status == Permission::Status::Unsent) unsent.push_back(p.ip);
  }
  for (const base::IpAddress& ip : unsent) {
    if (state != State::Allocated) return;
    if (Permission* p = find_permission(ip)) request_permission(now, *p);
  }
}

void Client::Impl::on_permission_result(base::Timestamp now, const Request& req, const Failure* f) {
  Permission* p = find_permission(req.peer_ip);
  if (p == nullptr) return;
  p->in_flight = false;
  if (f == nullptr) {
    p->status = Permission::Status::Installed;
    // Section 9: 300 s from when the server installed it, which is no
    // earlier than our first transmission.
    p->refresh = req.first_sent + kPermissionRefresh;
    std::deque<QueuedData> queued = std::move(p->queue);
    p->queue.clear();
    p->queued_bytes = 0;
    for (const QueuedData& q : queued) relay(now, q.peer, q.data);
    return;
  }
  WASMRTC_LOG(base::LogLevel::Warn, kTag) << "CreatePermission for " << req.peer_ip.to_string()
                                          << " failed: " << f->code << " " << f->reason;
  p->status = Permission::Status::Failed;
  p->refresh.clear();
  stats.dropped_sends += p->queue.size();
  p->queue.clear();
  p->queued_bytes = 0;
  events.push_back(PermissionFailed{req.peer_ip, f->code});
}

void Client::Impl::enqueue(Permission& p, const base::SocketAddress& peer, base::ByteView data) {
  p.queue.push_back(QueuedData{peer, base::Bytes(data.begin(), data.end())});
  p.queued_bytes += data.size();
  while (p.queue.size() > kMaxQueuedPackets || p.queued_bytes > kMaxQueuedBytes) {
    p.queued_bytes -= p.queue.front().data.size();
    p.queue.pop_front();
    ++stats.dropped_sends;
  }
}

// --- Sending (sections 11.1, 12.1, 12.5). -----------------------------------

base::Result<void, Error> Client::Impl::send_to(base::Timestamp now,
                                                const base::SocketAddress& peer,
                                                base::ByteView data) {
  if (state != State::Allocated || !relayed) return base::Unexpected(Error::NotAllocated);
  // Section 19, 443: a peer must be of the relayed address's family.
  if (peer.family() != relayed->family()) return base::Unexpected(Error::PeerFamilyMismatch);
  if (data.size() > kMaxPayload) return base::Unexpected(Error::TooLarge);

  Permission* p = find_permission(peer.ip);
  if (p == nullptr) p = add_permission(peer.ip);
  if (p == nullptr) {
    ++stats.dropped_sends;
    return {};
  }
  switch (p->status) {
    case Permission::Status::Failed: ++stats.dropped_sends; return {};
    case Permission::Status::Unsent:
    case Permission::Status::Pending:
      // Section 11.1: data may only go out once a permission is installed.
      enqueue(*p, peer, data);
      if (p->status == Permission::Status::Unsent) request_permission(now, *p);
      return {};
    case Permission::Status::Installed: break;
  }
  relay(now, peer, data);
  return {};
}

void Client::Impl::relay(base::Timestamp now, const base::SocketAddress& peer,
                         base::ByteView data) {
  Channel* c = find_channel(peer);
  if (c == nullptr && next_channel <= kMaxChannel) {
    // Section 12: bind a channel on first use to save the 36-byte Send
    // indication overhead from then on.
    Channel fresh;
    fresh.number = next_channel++;
    fresh.peer = peer;
    channels.push_back(fresh);
    bind_channel(now, channels.back());
    c = find_channel(peer);
  }
  if (c != nullptr && c->status == Channel::Status::Bound) {
    // Section 12.5: padded to 4 bytes over streams only.
    transmit(encode_channel_data(c->number, data, stream()));
    return;
  }
  // Section 12: until the binding is confirmed, a Send indication is the
  // safe way (ChannelData could be dropped if the bind fails).
  auto wire = send_indication(new_transaction_id(), peer, data);
  if (!wire) {
    ++stats.dropped_sends;
    return;
  }
  transmit(std::move(*wire));
}

void Client::Impl::bind_channel(base::Timestamp now, Channel& c) {
  if (c.in_flight) return;
  c.in_flight = true;
  c.refresh.clear();
  Request r;
  r.purpose = Purpose::ChannelBind;
  r.channel = c.number;
  r.peer = c.peer;
  send_request(now, std::move(r));
}

void Client::Impl::on_channel_result(base::Timestamp /*now*/, const Request& req,
                                     const Failure* f) {
  Channel* c = find_channel(req.channel);
  if (c == nullptr) return;
  c->in_flight = false;
  if (f == nullptr) {
    c->status = Channel::Status::Bound;
    // Section 12: a binding lasts 10 minutes; re-bind (same number, same
    // peer) before then.
    c->refresh = req.first_sent + kChannelRefresh;
    return;
  }
  // Section 12.3: the channel state may be out of sync with the server;
  // stop using this channel and fall back to Send indications.
  WASMRTC_LOG(base::LogLevel::Warn, kTag)
      << "ChannelBind " << c->number << " to " << c->peer.to_string() << " failed: " << f->code
      << " " << f->reason;
  c->status = Channel::Status::Failed;
  c->refresh.clear();
}

// --- Timers. -----------------------------------------------------------------

void Client::Impl::on_relay_timers(base::Timestamp now) {
  std::vector<base::IpAddress> due_permissions;
  for (const Permission& p : permissions) {
    if (p.status == Permission::Status::Installed && !p.in_flight && p.refresh.is_due(now)) {
      due_permissions.push_back(p.ip);
    }
  }
  std::vector<uint16_t> due_channels;
  for (const Channel& c : channels) {
    if (c.status == Channel::Status::Bound && !c.in_flight && c.refresh.is_due(now)) {
      due_channels.push_back(c.number);
    }
  }
  for (const base::IpAddress& ip : due_permissions) {
    if (state != State::Allocated) return;
    if (Permission* p = find_permission(ip)) request_permission(now, *p);
  }
  for (uint16_t number : due_channels) {
    if (state != State::Allocated) return;
    if (Channel* c = find_channel(number)) bind_channel(now, *c);
  }
}

base::Deadline Client::Impl::relay_deadline() const {
  base::Deadline d;
  for (const Permission& p : permissions) {
    if (!p.in_flight) d.merge(p.refresh);
  }
  for (const Channel& c : channels) {
    if (!c.in_flight) d.merge(c.refresh);
  }
  return d;
}

// --- Receiving (sections 11.4, 12.6). ---------------------------------------

void Client::Impl::on_data_indication(const stun::Message& m) {
  if (state != State::Allocated) return;
  // Section 11.6: a Data indication with ICMP instead of DATA reports an
  // error from the peer's network; not surfaced yet.
  if (m.has(attr::kIcmp) && !m.has(attr::kData)) return;
  auto peer = xor_peer_address(m);
  auto payload = get_data(m);
  if (!peer || !payload) {
    ++stats.dropped_malformed;
    return;
  }
  // Section 11.4: drop data from a peer we hold no permission for.
  const Permission* p = find_permission(peer->ip);
  if (p == nullptr || p->status == Permission::Status::Unsent ||
      p->status == Permission::Status::Failed) {
    ++stats.dropped_unknown_peer;
    return;
  }
  events.push_back(Data{*peer, base::Bytes(payload->begin(), payload->end())});
}

void Client::Impl::on_channel_data(base::ByteView bytes) {
  auto message = decode_channel_data(bytes);
  if (!message) {
    ++stats.dropped_malformed;
    return;
  }
  if (state != State::Allocated) return;
  // Section 12.6: a channel not bound to any peer, discard. Data may arrive
  // as soon as the ChannelBind is sent (section 12), so Binding counts.
  const Channel* c = find_channel(message->channel);
  if (c == nullptr || c->status == Channel::Status::Failed) {
    ++stats.dropped_unknown_peer;
    return;
  }
  events.push_back(Data{c->peer, base::Bytes(message->data.begin(), message->data.end())});
}

}  // namespace wasmrtc::turn
