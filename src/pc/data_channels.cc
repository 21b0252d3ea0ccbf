// Data channels of a PeerConnection (webrtc-pc section 6, RFC 8831/8832):
// the SCTP association, page handles <-> SCTP stream ids, channel events
// for the page, and the bytes-sent reports that let the page lower
// bufferedAmount.
#include "pc/data_channels.h"

#include <limits>
#include <string>

namespace wasmrtc::pc {

DataChannels::DataChannels() = default;
DataChannels::~DataChannels() = default;

DataChannels::Channel* DataChannels::channel_by_handle(ChannelHandle handle) {
  auto it = channels_.find(handle);
  return it == channels_.end() ? nullptr : &it->second;
}

DataChannels::Channel* DataChannels::channel_by_id(uint16_t id) {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : channel_by_handle(it->second);
}

void DataChannels::emit_channel(const char* type, const Channel& channel) {
  Record e;
  e.set("type", type).set("channel", static_cast<int64_t>(channel.handle));
  emit(std::move(e));
}

// webrtc-pc 6.1.1 "update the data max message size": the remote's
// a=max-message-size (65536 without one), 0 meaning no limit, against
// what we can send, which has no limit of its own (sctp::Association takes
// the remote's value as its only one): the remote's, or +Infinity for 0
// (both 0: "set [[MaxMessageSize]] to +Infinity").
double DataChannels::max_message_size() const {
  if (remote_max_message_size_ == 0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(remote_max_message_size_);
}

// ---- the association

void DataChannels::create_association(base::Timestamp now, bool dtls_client, uint32_t mtu, bool dtls_connected) {
  if (sctp_) return;
  sctp::Config c;
  c.dtls_client = dtls_client;
  c.max_message_size = remote_max_message_size_;
  c.mtu = mtu;
  sctp_ = std::make_unique<sctp::Association>(c);
  state_ = sctp::State::Connecting;
  Record e;
  e.set("type", "sctpstatechange").set("state", "connecting");
  e.set("maxMessageSize", max_message_size());
  emit(std::move(e));
  if (dtls_connected) (void)sctp_->start(now);
  open_pending_channels();
}

void DataChannels::start(base::Timestamp now) {
  if (sctp_) (void)sctp_->start(now);
}

void DataChannels::handle_packet(base::Timestamp now, base::ByteView packet) {
  if (sctp_) sctp_->handle_input(now, packet);
}

void DataChannels::abort(base::Timestamp now) {
  if (sctp_) sctp_->abort(now);
}

void DataChannels::close(base::Timestamp now) {
  abort(now);
  closed_ = true;
}

void DataChannels::handle_timeout(base::Timestamp now) {
  if (sctp_) sctp_->handle_timeout(now);
}

base::Deadline DataChannels::poll_timeout() const { return sctp_ ? sctp_->poll_timeout() : base::Deadline(); }

std::optional<base::Bytes> DataChannels::poll_transmit() {
  return sctp_ ? sctp_->poll_transmit() : std::nullopt;
}

// The association's events become page events when they are polled, so
// they come out in the order the association gave them, after what the
// channel calls queued.
std::optional<Record> DataChannels::poll_event() {
  while (events_.empty()) {
    if (!sctp_) return std::nullopt;
    auto ev = sctp_->poll_event();
    if (!ev) return std::nullopt;
    on_sctp_event(*ev);
  }
  Record e = std::move(events_.front());
  events_.pop_front();
  return e;
}

// ---- channels

void DataChannels::open_pending_channels() {
  if (!sctp_) return;
  for (auto& [handle, ch] : channels_) {
    if (ch.requested) continue;
    ch.requested = true;
    sctp::ChannelInit init = ch.init;
    auto id = sctp_->open_channel(init);
    if (!id) {
      // webrtc-pc 6.2: a data transport that cannot be created closes the
      // channel with an error (data-channel-failure).
      Record err;
      err.set("detail", "data-channel-failure")
          .set("message", "cannot open data channel: " + std::string(sctp::to_string(id.error())));
      Record e;
      e.set("type", "channelclose").set("channel", static_cast<int64_t>(handle)).set("error", std::move(err));
      emit(std::move(e));
      continue;
    }
    ch.id = *id;
    by_id_[*id] = handle;
    if (!ch.negotiated) {
      Record e;
      e.set("type", "channelid").set("channel", static_cast<int64_t>(handle)).set("id", static_cast<uint32_t>(*id));
      emit(std::move(e));
    }
  }
  // Channels that failed to open are gone for good.
  for (auto it = channels_.begin(); it != channels_.end();) {
    if (it->second.requested && !it->second.id) it = channels_.erase(it);
    else ++it;
  }
}

void DataChannels::create_channel(const ChannelRequest& request) {
  Channel ch;
  ch.handle = request.handle;
  ch.init = request.init;
  ch.negotiated = request.negotiated;
  if (request.negotiated) ch.id = request.init.id;
  channels_[request.handle] = ch;
  open_pending_channels();
}

bool DataChannels::send(ChannelHandle handle, bool binary, base::ByteView data) {
  Channel* ch = channel_by_handle(handle);
  if (!ch) return false;
  ch->accepted += data.size();
  if (closed_ || !sctp_ || !ch->id) {
    ch->reported = ch->accepted;  // dropped: nothing left to send
    return false;
  }
  auto r = sctp_->send(*ch->id, binary, data);
  if (r) {
    ch->messages_sent++;
    ch->bytes_sent += data.size();
  }
  return true;
}

bool DataChannels::close_channel(ChannelHandle handle) {
  Channel* ch = channel_by_handle(handle);
  if (!ch) return false;
  ch->closing = true;
  if (sctp_ && ch->id && sctp_->close_channel(*ch->id)) return true;
  // Never opened on the association: closed at once (webrtc-pc 6.2 close(), step 3).
  if (ch->id) by_id_.erase(*ch->id);
  emit_channel("channelclose", *ch);
  channels_.erase(handle);
  return false;
}

void DataChannels::report_sent() {
  if (!sctp_) return;
  for (auto& [handle, ch] : channels_) {
    if (ch.accepted == ch.reported || !ch.id) continue;
    const uint64_t buffered = sctp_->buffered_amount(*ch.id);
    const uint64_t sent = ch.accepted > buffered ? ch.accepted - buffered : 0;
    if (sent <= ch.reported) continue;
    Record e;
    e.set("type", "sent").set("channel", static_cast<int64_t>(handle)).set("bytes", sent - ch.reported);
    ch.reported = sent;
    emit(std::move(e));
  }
}

void DataChannels::on_sctp_event(sctp::Event& event) {
  if (std::get_if<sctp::event::Connected>(&event)) {
    state_ = sctp::State::Connected;
    Record e;
    e.set("type", "sctpstatechange").set("state", "connected");
    e.set("maxMessageSize", max_message_size());
    if (auto n = sctp_->max_channels()) e.set("maxChannels", static_cast<uint32_t>(*n));
    emit(std::move(e));
  } else if (auto* o = std::get_if<sctp::event::ChannelOpened>(&event)) {
    if (Channel* ch = channel_by_id(o->id)) {
      ch->open = true;
      channels_opened_++;
      emit_channel("channelopen", *ch);
    }
  } else if (auto* r = std::get_if<sctp::event::RemoteChannelOpened>(&event)) {
    // RFC 8832 section 6 / webrtc-pc 6.2 "announce the data channel".
    Channel ch;
    ch.handle = next_remote_handle_--;
    ch.id = r->id;
    ch.requested = true;
    ch.open = true;
    ch.init.label = r->parameters.label;
    ch.init.protocol = r->parameters.protocol;
    ch.init.ordered = r->parameters.ordered;
    channels_[ch.handle] = ch;
    by_id_[r->id] = ch.handle;
    channels_opened_++;
    Record e;
    e.set("type", "datachannel")
        .set("channel", static_cast<int64_t>(ch.handle))
        .set("id", static_cast<uint32_t>(r->id))
        .set("label", r->parameters.label)
        .set("protocol", r->parameters.protocol)
        .set("ordered", r->parameters.ordered)
        .set_optional("maxRetransmits", r->parameters.max_retransmits)
        .set_optional("maxPacketLifeTime", r->parameters.max_packet_life_time_ms);
    emit(std::move(e));
  } else if (auto* m = std::get_if<sctp::event::Message>(&event)) {
    if (Channel* ch = channel_by_id(m->id)) {
      ch->messages_received++;
      ch->bytes_received += m->data.size();
      Record e;
      e.set("type", "message").set("channel", static_cast<int64_t>(ch->handle)).set("binary", m->binary);
      if (m->binary) e.set("data", std::move(m->data));
      else e.set("data", std::string(m->data.begin(), m->data.end()));
      emit(std::move(e));
    }
  } else if (auto* c = std::get_if<sctp::event::ChannelClosing>(&event)) {
    if (Channel* ch = channel_by_id(c->id)) emit_channel("channelclosing", *ch);
  } else if (auto* c = std::get_if<sctp::event::ChannelClosed>(&event)) {
    if (Channel* ch = channel_by_id(c->id)) {
      channels_closed_++;
      const ChannelHandle handle = ch->handle;
      Record e;
      e.set("type", "channelclose").set("channel", static_cast<int64_t>(handle));
      if (c->failure) {
        // The association was lost under an open channel (the peer's ABORT
        // when it closed its RTCPeerConnection): webrtc-pc 6.2, the data
        // transport "closed with an error", sctp-failure, as Chromium reports it.
        Record err;
        err.set("detail", "sctp-failure").set("message", c->failure->reason).set_optional("sctpCauseCode", c->failure->cause);
        e.set("error", std::move(err));
      }
      emit(std::move(e));
      by_id_.erase(c->id);
      channels_.erase(handle);
    }
  } else if (std::get_if<sctp::event::Closed>(&event) || std::get_if<sctp::event::Failed>(&event)) {
    state_ = sctp::State::Closed;
    Record e;
    e.set("type", "sctpstatechange").set("state", "closed");
    emit(std::move(e));
  }
}

// webrtc-stats RTCDataChannelStats, one per channel the table holds.
void DataChannels::stats(RecordList& out) const {
  for (const auto& [handle, ch] : channels_) {
    Record r;
    r.set("id", "D" + std::to_string(handle)).set("type", "data-channel")
        .set("label", ch.init.label)
        .set("protocol", ch.init.protocol)
        .set("state", ch.closing ? "closing" : ch.open ? "open" : "connecting")
        .set("messagesSent", ch.messages_sent)
        .set("bytesSent", ch.bytes_sent)
        .set("messagesReceived", ch.messages_received)
        .set("bytesReceived", ch.bytes_received);
    if (ch.id) r.set("dataChannelIdentifier", static_cast<uint32_t>(*ch.id));
    out.push_back(std::move(r));
  }
}

}  // namespace wasmrtc::pc
