// JsepSession: transceivers and their audio/video m= sections (RFC 8829
// sections 5.2.1, 5.3.1, 5.10 and 5.11; webrtc-pc section 4.4.1.5 "set
// the RTCSessionDescription" for association, remote tracks and
// currentDirection).
#include <algorithm>

#include "sdp/builder.h"
#include "sdp/credentials.h"
#include "sdp/jsep_session.h"
#include "sdp/text.h"

namespace wasmrtc::sdp {
namespace {

bool sends(Direction d) { return d == Direction::SendRecv || d == Direction::SendOnly; }
bool receives(Direction d) { return d == Direction::SendRecv || d == Direction::RecvOnly; }

Direction make_direction(bool send, bool recv) {
  if (send && recv) return Direction::SendRecv;
  if (send) return Direction::SendOnly;
  if (recv) return Direction::RecvOnly;
  return Direction::Inactive;
}

Direction reversed(Direction d) { return make_direction(receives(d), sends(d)); }

uint32_t random_ssrc(base::Random& random) {
  uint32_t v = 0;
  while (v == 0) v = static_cast<uint32_t>(random.next_u64());
  return v;
}

std::string random_id(base::Random& random) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s;
  for (int i = 0; i < 16; ++i) s += kChars[random.next_u64() % (sizeof(kChars) - 1)];
  return s;
}

// The formats of an answer: the offered ones we support, in the offer's
// order or in the order of the transceiver's codec preferences, keeping the
// offer's payload types (RFC 3264 section 6.1); our fmtp, feedback both
// sides know.
std::vector<RtpCodec> answer_codecs(MediaKind kind, const std::vector<RtpCodec>& offered,
                                    const std::vector<RtpCodec>& preferences, const std::vector<RtpCodec>& ours_all) {
  std::vector<RtpCodec> accepted;
  auto accept = [&](const RtpCodec& o) {
    if (!is_supported(kind, o, offered, ours_all)) return;
    for (const auto& a : accepted) if (a.payload_type == o.payload_type) return;
    RtpCodec c = o;
    if (!text::iequals(o.name, "rtx")) {
      for (const auto& ours : ours_all) {
        if (!ours.same_format(o)) continue;
        c.fmtp = ours.fmtp;
        c.feedback.clear();
        for (const auto& fb : o.feedback)
          if (std::find(ours.feedback.begin(), ours.feedback.end(), fb) != ours.feedback.end()) c.feedback.push_back(fb);
      }
    }
    accepted.push_back(std::move(c));
  };
  if (preferences.empty()) {
    for (const auto& o : offered) accept(o);
  } else {
    for (const auto& p : preferences)
      for (const auto& o : offered)
        if (o.same_format(p)) accept(o);
  }
  // RTX only for an accepted codec.
  std::erase_if(accepted, [&](const RtpCodec& c) {
    if (!text::iequals(c.name, "rtx")) return false;
    auto apt = c.fmtp_parameter("apt");
    return std::none_of(accepted.begin(), accepted.end(),
                        [&](const RtpCodec& a) { return apt && std::to_string(a.payload_type) == *apt; });
  });
  return accepted;
}

std::vector<ExtensionMapEntry> answer_extensions(MediaKind kind, const std::vector<ExtensionMapEntry>& offered) {
  std::vector<ExtensionMapEntry> out;
  for (const auto& o : offered) {
    for (const auto& ours : supported_extensions(kind)) {
      if (ours.uri == o.uri) out.push_back(ExtensionMapEntry{o.id, o.uri, std::nullopt});
    }
  }
  return out;
}

}  // namespace

Transceiver& JsepSession::add_transceiver(Transceiver t) {
  t.ssrc = random_ssrc(random_);
  if (t.kind == MediaKind::Video) t.rtx_ssrc = random_ssrc(random_);
  if (t.receiver_track_id.empty()) t.receiver_track_id = random_id(random_);
  transceivers_.push_back(std::move(t));
  ++options_epoch_;
  return transceivers_.back();
}

Transceiver* JsepSession::find_transceiver(TransceiverHandle handle) {
  for (auto& t : transceivers_)
    if (t.handle == handle) return &t;
  return nullptr;
}

Transceiver* JsepSession::transceiver_for_mid(std::string_view mid) {
  for (auto& t : transceivers_)
    if (t.mid && *t.mid == mid) return &t;
  return nullptr;
}

void JsepSession::set_direction(TransceiverHandle handle, Direction direction) {
  if (auto* t = find_transceiver(handle); t && t->direction != direction) {
    t->direction = direction;
    ++options_epoch_;
  }
}

void JsepSession::stop_transceiver(TransceiverHandle handle) {
  auto* t = find_transceiver(handle);
  if (!t || t->stopping) return;
  t->stopping = true;
  // Never negotiated: nothing to reject, stopped at once; unless the last
  // created offer has a section for it, which setLocalDescription may still
  // apply (then it is stopping, as in Chromium, until an offer rejects it).
  bool offered = false;
  if (last_offer_) {
    for (const auto& [mid, handle] : last_offer_->new_mids) offered = offered || handle == t->handle;
  }
  if (!t->mid && !offered) t->stopped = true;
  ++options_epoch_;
}

void JsepSession::set_sender(TransceiverHandle handle, std::optional<std::string> track_id,
                             std::vector<std::string> stream_ids) {
  auto* t = find_transceiver(handle);
  if (!t) return;
  t->sender_track_id = std::move(track_id);
  t->stream_ids = std::move(stream_ids);
  ++options_epoch_;
}

void JsepSession::set_codec_preferences(TransceiverHandle handle, std::vector<RtpCodec> codecs) {
  if (auto* t = find_transceiver(handle)) {
    // webrtc-pc 5.4 setCodecPreferences: the page names codecs by their
    // capabilities (mimeType, clockRate, channels, sdpFmtpLine); what goes
    // into offers is ours, with our payload types, in the page's order.
    std::vector<RtpCodec> mapped;
    for (const auto& p : codecs) {
      for (const auto& ours : config_.codecs(t->kind)) {
        if (!ours.same_format(p)) continue;
        if (text::iequals(p.name, "rtx") && !p.fmtp.empty() && p.fmtp != ours.fmtp) continue;
        if (std::none_of(mapped.begin(), mapped.end(), [&](const RtpCodec& m) { return m.payload_type == ours.payload_type; }))
          mapped.push_back(ours);
        break;
      }
    }
    t->codec_preferences = std::move(mapped);
    ++options_epoch_;
  }
}

void JsepSession::set_receiver_track_id(TransceiverHandle handle, std::string id) {
  if (auto* t = find_transceiver(handle); t && !id.empty()) t->receiver_track_id = std::move(id);
}

std::vector<TrackChange> JsepSession::take_track_changes() { return std::exchange(track_changes_, {}); }

MediaDescription JsepSession::offer_rtp_section(const LocalTransport& transport, const Transceiver& t,
                                                const std::string& mid) const {
  RtpSection s;
  s.media = std::string(to_string(t.kind));
  s.mid = mid;
  s.direction = t.direction;
  s.codecs = t.codec_preferences.empty() ? config_.codecs(t.kind) : t.codec_preferences;
  s.extensions = supported_extensions(t.kind);
  s.cname = config_.cname;
  // webrtc-pc: the msid track id is the sender's id, stable across tracks.
  s.track_id = t.receiver_track_id;
  s.stream_ids = t.stream_ids;
  s.ssrc = t.ssrc;
  s.rtx_ssrc = t.rtx_ssrc;
  return make_rtp_section(transport, s);
}

std::optional<MediaDescription> JsepSession::answer_rtp_section(const LocalTransport& transport,
                                                                const MediaDescription& offered) const {
  auto kind = parse_media_kind(offered.media);
  auto mid = offered.mid();
  if (!kind || !mid || offered.is_rejected() || !is_rtp_proto(offered.proto)) return std::nullopt;
  const Transceiver* t = nullptr;
  for (const auto& c : transceivers_)
    if (c.mid && *c.mid == *mid) t = &c;
  if (!t || t->stopped || t->kind != *kind) return std::nullopt;
  RtpSection s;
  s.media = offered.media;
  s.proto = offered.proto;
  s.mid = std::string(*mid);
  s.codecs = answer_codecs(*kind, rtp_codecs(offered), t->codec_preferences, config_.codecs(*kind));
  bool has_media_codec = std::any_of(s.codecs.begin(), s.codecs.end(),
                                     [](const RtpCodec& c) { return !text::iequals(c.name, "rtx"); });
  if (!has_media_codec) return std::nullopt;  // RFC 3264 section 6: nothing in common
  s.extensions = answer_extensions(*kind, extension_maps(offered));
  const Direction offered_direction = offered.direction().value_or(Direction::SendRecv);
  // webrtc-pc 5.4 stop(): a transceiver stopped after the offer came is
  // answered "inactive", not rejected (it is rejected by its own next
  // offer), as in Chromium.
  s.direction = t->stopping ? Direction::Inactive
                            : make_direction(sends(t->direction) && receives(offered_direction),
                                             receives(t->direction) && sends(offered_direction));
  s.rtcp_rsize = rtcp_rsize(offered);
  s.cname = config_.cname;
  s.track_id = t->receiver_track_id;
  s.stream_ids = t->stream_ids;
  s.ssrc = t->ssrc;
  if (std::any_of(s.codecs.begin(), s.codecs.end(), [](const RtpCodec& c) { return text::iequals(c.name, "rtx"); }))
    s.rtx_ssrc = t->rtx_ssrc;
  return make_rtp_section(transport, s);
}

void JsepSession::take_snapshot() {
  snapshot_ = {};
  snapshot_.taken = true;
  for (const auto& t : transceivers_) snapshot_.mids[t.handle] = t.mid;
}

void JsepSession::restore_snapshot() {
  if (!snapshot_.taken) return;
  // webrtc-pc rollback: transceivers the rolled-back offer created go away
  // (unless the page attached a track since); mids return to what they were.
  std::erase_if(transceivers_, [&](const Transceiver& t) {
    return !snapshot_.mids.count(t.handle) && t.created_by_remote && !t.sender_track_id;
  });
  for (auto& t : transceivers_) {
    auto it = snapshot_.mids.find(t.handle);
    t.mid = it == snapshot_.mids.end() ? std::nullopt : it->second;
  }
  snapshot_ = {};
}

void JsepSession::associate_local_offer(const SessionDescription& sdp) {
  if (!last_offer_) return;
  for (const auto& [mid, handle] : last_offer_->new_mids) {
    auto* t = find_transceiver(handle);
    if (t && !t->mid && sdp.find_mid(mid)) t->mid = mid;
  }
  // A stopping transceiver the applied offer left out is never negotiated now.
  for (auto& t : transceivers_) {
    if (t.stopping && !t.mid) t.stopped = true;
  }
}

void JsepSession::associate_remote_offer(const SessionDescription& sdp) {
  for (const auto& m : sdp.media) {
    auto kind = parse_media_kind(m.media);
    auto mid = m.mid();
    if (!kind || !mid || m.is_rejected() || transceiver_for_mid(*mid)) continue;
    // webrtc-pc 4.4.1.5: a transceiver addTrack made, of this kind, not yet
    // associated and not stopped, takes the section; else a new one.
    Transceiver* t = nullptr;
    for (auto& c : transceivers_) {
      if (!c.mid && c.kind == *kind && c.added_by_add_track && !c.stopping && !c.stopped) {
        t = &c;
        break;
      }
    }
    if (!t) {
      Transceiver n;
      n.handle = next_remote_transceiver_--;
      n.kind = *kind;
      n.direction = Direction::RecvOnly;
      n.created_by_remote = true;
      t = &add_transceiver(std::move(n));
    }
    t->mid = std::string(*mid);
  }
}

void JsepSession::process_remote_tracks(SdpType type, const SessionDescription& sdp) {
  for (const auto& m : sdp.media) {
    auto mid = m.mid();
    if (!mid || !parse_media_kind(m.media)) continue;
    Transceiver* t = transceiver_for_mid(*mid);
    if (!t) continue;
    const Direction d = m.is_rejected() ? Direction::Inactive : reversed(m.direction().value_or(Direction::SendRecv));
    std::vector<std::string> streams;
    const auto announced = msids(m);
    for (const auto& msid : announced)
      if (msid.stream_id != "-") streams.push_back(msid.stream_id);
    // No msid at all (RFC 8830 section 3 leaves it to the receiver): the
    // track still gets a stream, as in Chromium (WPT
    // setRemoteDescription-nomsid, RTCTrackEvent-fire): "default" where the
    // section has a=ssrc lines (the legacy default stream), else one random
    // id kept by the transceiver. "a=msid:-" means no stream.
    if (announced.empty()) {
      if (!m.attributes.values("ssrc").empty()) {
        streams.push_back("default");
      } else {
        if (t->default_stream_id.empty()) t->default_stream_id = random_id(random_);
        streams.push_back(t->default_stream_id);
      }
    }
    const bool was = t->fired_direction && receives(*t->fired_direction);
    if (receives(d) && (!was || streams != t->remote_stream_ids)) {
      t->remote_stream_ids = streams;
      track_changes_.push_back(TrackChange{t->handle, true, streams});
    } else if (!receives(d) && was) {
      track_changes_.push_back(TrackChange{t->handle, false, t->remote_stream_ids});
    }
    t->fired_direction = d;
    if (type != SdpType::Offer) t->current_direction = d;
  }
}

void JsepSession::process_local_answer(const SessionDescription& sdp) {
  for (const auto& m : sdp.media) {
    auto mid = m.mid();
    if (!mid || !parse_media_kind(m.media)) continue;
    Transceiver* t = transceiver_for_mid(*mid);
    if (!t) continue;
    const Direction d = m.is_rejected() ? Direction::Inactive : m.direction().value_or(Direction::SendRecv);
    const bool was = t->fired_direction && receives(*t->fired_direction);
    if (!receives(d) && was) track_changes_.push_back(TrackChange{t->handle, false, t->remote_stream_ids});
    t->fired_direction = d;
    t->current_direction = d;
  }
}

void JsepSession::settle_transceivers(const Description& local, const Description& remote) {
  // RFC 8829 section 5.10/5.11 and webrtc-pc 4.4.1.5: a section either
  // side rejected stops its transceiver. A stopping one whose section was
  // still negotiated (stop() after the offer was made) stays until the next
  // offer rejects it, as in Chromium (webrtc-pc 5.4 stop: [[Stopping]] is
  // not [[Stopped]]).
  for (size_t i = 0; i < local.sdp.media.size(); ++i) {
    auto mid = local.sdp.media[i].mid();
    if (!mid) continue;
    Transceiver* t = transceiver_for_mid(*mid);
    if (!t) continue;
    const bool rejected = local.sdp.media[i].is_rejected() ||
                          (i < remote.sdp.media.size() && remote.sdp.media[i].is_rejected());
    if (rejected) {
      t->stopping = true;
      t->stopped = true;
      t->current_direction = std::nullopt;
    }
  }
}

}  // namespace wasmrtc::sdp
