// Data channels of a PeerConnection (webrtc-pc section 6, RFC 8831/8832):
// page handles <-> SCTP stream ids, channel events for the page, and the
// bytes-sent reports that let the page lower bufferedAmount.
#include "pc/peer_connection.h"

#include <limits>

namespace wasmrtc::pc {

PeerConnection::Channel* PeerConnection::channel_by_handle(ChannelHandle handle) {
  auto it = channels_.find(handle);
  return it == channels_.end() ? nullptr : &it->second;
}

PeerConnection::Channel* PeerConnection::channel_by_id(uint16_t id) {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : channel_by_handle(it->second);
}

void PeerConnection::emit_channel(const char* type, const Channel& channel) {
  Record e;
  e.set("type", type).set("channel", static_cast<int64_t>(channel.handle));
  emit(std::move(e));
}

// webrtc-pc 6.1.1 "update the data max message size": the remote's
// a=max-message-size (65536 without one), 0 meaning no limit, against
// what we can send, which has no limit of its own (sctp::Association takes
// the remote's value as its only one): the remote's, or +Infinity for 0
// (both 0: "set [[MaxMessageSize]] to +Infinity").
double PeerConnection::data_max_message_size() const {
  if (remote_max_message_size_ == 0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(remote_max_message_size_);
}

void PeerConnection::create_association(base::Timestamp now) {
  sctp::Config c;
  c.dtls_client = dtls_->role() == dtls::Role::Client;
  c.max_message_size = remote_max_message_size_;
  // One SCTP packet is one DTLS record in one datagram (RFC 8261 section 5).
  c.mtu = static_cast<uint32_t>(kDatagramMtu - dtls::kMaxRecordOverhead);
  sctp_ = std::make_unique<sctp::Association>(c);
  sctp_state_ = sctp::State::Connecting;
  Record e;
  e.set("type", "sctpstatechange").set("state", "connecting");
  e.set("maxMessageSize", data_max_message_size());
  emit(std::move(e));
  if (dtls_state_ == dtls::State::Connected) (void)sctp_->start(now);
}

void PeerConnection::open_pending_channels() {
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

void PeerConnection::create_data_channel(base::Timestamp now, const ChannelRequest& request) {
  if (closed_) return;
  Channel ch;
  ch.handle = request.handle;
  ch.init = request.init;
  ch.negotiated = request.negotiated;
  if (request.negotiated) ch.id = request.init.id;
  channels_[request.handle] = ch;
  jsep_.set_data_channels_wanted(true);
  if (sctp_) {
    open_pending_channels();
    pump(now);
  }
}

void PeerConnection::send(base::Timestamp now, ChannelHandle handle, bool binary, base::ByteView data) {
  Channel* ch = channel_by_handle(handle);
  if (!ch) return;
  ch->accepted += data.size();
  if (closed_ || !sctp_ || !ch->id) {
    ch->reported = ch->accepted;  // dropped: nothing left to send
    return;
  }
  auto r = sctp_->send(*ch->id, binary, data);
  if (r) {
    ch->messages_sent++;
    ch->bytes_sent += data.size();
  }
  pump(now);
}

void PeerConnection::close_data_channel(base::Timestamp now, ChannelHandle handle) {
  Channel* ch = channel_by_handle(handle);
  if (!ch) return;
  ch->closing = true;
  if (sctp_ && ch->id && sctp_->close_channel(*ch->id)) {
    pump(now);
    return;
  }
  // Never opened on the association: closed at once (webrtc-pc 6.2 close(), step 3).
  if (ch->id) by_id_.erase(*ch->id);
  emit_channel("channelclose", *ch);
  channels_.erase(handle);
}

void PeerConnection::report_sent() {
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

void PeerConnection::on_sctp_event(base::Timestamp, sctp::Event& event) {
  if (std::get_if<sctp::event::Connected>(&event)) {
    sctp_state_ = sctp::State::Connected;
    Record e;
    e.set("type", "sctpstatechange").set("state", "connected");
    e.set("maxMessageSize", data_max_message_size());
    if (auto n = sctp_->max_channels()) e.set("maxChannels", static_cast<uint32_t>(*n));
    emit(std::move(e));
  } else if (auto* o = std::get_if<sctp::event::ChannelOpened>(&event)) {
    if (Channel* ch = channel_by_id(o->id)) {
      ch->open = true;
      channels_opened_++;
      emit_channel("channelopen", *ch);
    }
  } else if (auto* r = std::get_if<sctp::event::RemoteChannelOpened>(&event)) {
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
    sctp_state_ = sctp::State::Closed;
    Record e;
    e.set("type", "sctpstatechange").set("state", "closed");
    emit(std::move(e));
  }
}

}  // namespace wasmrtc::pc
