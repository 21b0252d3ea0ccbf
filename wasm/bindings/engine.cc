// Binds pc::Engine as Engine for the worker loop (wasm/worker). Commands
// take plain objects and return plain objects ({ error: { name, message,
// errorDetail?, sdpLineNumber? } }
// on failure); outputs are tagged objects; Records become JS objects.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "bindings/convert.h"
#include "crypto/system_random.h"
#include "pc/engine.h"

namespace wasmrtc::bindings {
namespace {

using emscripten::val;

val to_js(const pc::Value& v);

// An encoded video frame from the worker (a user codec's or a transform's).
codec::EncodedVideo encoded_video(const val& data, bool keyframe, int width, int height) {
  codec::EncodedVideo f;
  f.data = bytes_from_js(data);
  f.keyframe = keyframe;
  f.width = static_cast<uint32_t>(std::max(width, 0));
  f.height = static_cast<uint32_t>(std::max(height, 0));
  return f;
}

val to_js(const pc::Record& r) {
  val o = val::object();
  for (const auto& [k, v] : r.fields) o.set(k, to_js(v));
  return o;
}

val to_js(const pc::Value& v) {
  if (std::holds_alternative<pc::Null>(v)) return val::null();
  if (auto* b = std::get_if<bool>(&v)) return val(*b);
  if (auto* d = std::get_if<double>(&v)) return val(*d);
  if (auto* s = std::get_if<std::string>(&v)) return val(*s);
  if (auto* bytes = std::get_if<base::Bytes>(&v)) return bytes_to_js(*bytes);
  if (auto* rec = std::get_if<std::shared_ptr<pc::Record>>(&v)) return to_js(**rec);
  if (auto* list = std::get_if<std::shared_ptr<pc::RecordList>>(&v)) {
    val a = val::array();
    for (const auto& r : **list) a.call<void>("push", to_js(r));
    return a;
  }
  return val::undefined();
}

val error_js(const pc::Error& e) {
  val err = val::object();
  err.set("name", e.name);
  err.set("message", e.message);
  // An RTCError's members (js/webrtc/engine-client.cjs builds the RTCError).
  if (e.error_detail) err.set("errorDetail", *e.error_detail);
  if (e.sdp_line_number) err.set("sdpLineNumber", static_cast<double>(*e.sdp_line_number));
  val o = val::object();
  o.set("error", err);
  return o;
}

val result_js(const pc::Result<pc::Record>& r) { return r ? to_js(*r) : error_js(r.error()); }

val no_pc() { return error_js(pc::Error::invalid_state("The RTCPeerConnection is closed")); }

std::optional<std::string> opt_string(const val& v) {
  if (v.isString()) return v.as<std::string>();
  return std::nullopt;
}

std::optional<sdp::Direction> direction_from_js(const val& v) {
  if (!v.isString()) return std::nullopt;
  return sdp::parse_direction(v.as<std::string>());
}

std::vector<std::string> strings_from_js(const val& v) {
  std::vector<std::string> out;
  if (!v.isArray()) return out;
  for (int i = 0, n = v["length"].as<int>(); i < n; ++i) out.push_back(v[i].as<std::string>());
  return out;
}

base::SocketAddress address_from_js(const std::string& text) {
  auto a = base::SocketAddress::parse(text);
  return a ? *a : base::SocketAddress{};
}

class Engine {
 public:
  Engine() : engine_(random_) {}

  val createPeerConnection(int pc, val config, double now) {
    pc::PeerConnectionInit init;
    init.relay_only = config["iceTransportPolicy"].isString() &&
                      config["iceTransportPolicy"].as<std::string>() == "relay";
    const double unix_ms = val::global("Date").call<double>("now");
    init.now_unix = static_cast<int64_t>(unix_ms / 1000.0);
    init.wall_clock_offset_us = static_cast<int64_t>((unix_ms - now) * 1000.0);
    val certs = config["certificates"];
    if (certs.isArray() && certs["length"].as<int>() > 0) {
      init.certificate_pem = certs[0]["certPem"].as<std::string>();
      init.private_key_pem = certs[0]["keyPem"].as<std::string>();
    }
    auto r = engine_.create_peer_connection(static_cast<pc::PcHandle>(pc), init);
    return r ? val::object() : error_js(r.error());
  }

  // What setConfiguration may change in the engine: iceTransportPolicy.
  // (New iceServers are not opened after creation; see js/webrtc/peer-connection.cjs.)
  val setConfiguration(int pc, val config, double) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) {
      p->set_relay_only(config["iceTransportPolicy"].isString() &&
                        config["iceTransportPolicy"].as<std::string>() == "relay");
    }
    return val::object();
  }

  void addHostSocket(int pc, int socket, const std::string& local) {
    engine_.add_host_socket(static_cast<pc::PcHandle>(pc), static_cast<ice::SocketId>(socket),
                            address_from_js(local));
  }
  void addStunServer(int pc, const std::string& server, const std::string& url) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->add_stun_server(address_from_js(server), url);
  }
  void addTurnServer(int pc, val s) {
    ice::TurnServer t;
    t.address = address_from_js(s["address"].as<std::string>());
    t.transport = s["transport"].as<std::string>() == "stream" ? ice::TurnTransport::Stream : ice::TurnTransport::Udp;
    if (s["stream"].isNumber()) t.stream = s["stream"].as<uint32_t>();
    t.username = s["username"].as<std::string>();
    t.password = s["password"].as<std::string>();
    if (s["url"].isString()) t.url = s["url"].as<std::string>();
    engine_.add_turn_server(static_cast<pc::PcHandle>(pc), t);
  }
  void reportCandidateError(int pc, val e) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return;
    pc::Record r;
    r.set("url", e["url"].as<std::string>());
    r.set("errorCode", e["errorCode"].as<int>());
    r.set("errorText", e["errorText"].as<std::string>());
    p->report_candidate_error(std::move(r));
  }

  val createOffer(int pc, val args, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    return result_js(p->create_offer(timestamp_from_ms(now), args["iceRestart"].isTrue()));
  }
  val createAnswer(int pc, val, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    return result_js(p->create_answer(timestamp_from_ms(now)));
  }
  val setLocalDescription(int pc, val args, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    return result_js(p->set_local_description(timestamp_from_ms(now), opt_string(args["type"]).value_or(""),
                                              opt_string(args["sdp"]).value_or("")));
  }
  val setRemoteDescription(int pc, val args, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    return result_js(p->set_remote_description(timestamp_from_ms(now), opt_string(args["type"]).value_or(""),
                                               opt_string(args["sdp"]).value_or("")));
  }
  val addIceCandidate(int pc, val args, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    std::optional<uint32_t> index;
    if (args["sdpMLineIndex"].isNumber()) index = args["sdpMLineIndex"].as<uint32_t>();
    return result_js(p->add_ice_candidate(timestamp_from_ms(now), opt_string(args["candidate"]).value_or(""),
                                          opt_string(args["sdpMid"]), index, opt_string(args["usernameFragment"])));
  }
  val restartIce(int pc) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->restart_ice();
    return val::object();
  }
  val createDataChannel(int pc, val args, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    pc::ChannelRequest req;
    req.handle = args["channel"].as<int>();
    req.init.label = args["label"].as<std::string>();
    req.init.protocol = args["protocol"].as<std::string>();
    req.init.ordered = args["ordered"].as<bool>();
    if (args["maxRetransmits"].isNumber()) req.init.max_retransmits = args["maxRetransmits"].as<uint16_t>();
    if (args["maxPacketLifeTime"].isNumber())
      req.init.max_packet_life_time_ms = args["maxPacketLifeTime"].as<uint16_t>();
    req.negotiated = args["negotiated"].isTrue();
    if (req.negotiated && args["id"].isNumber()) req.init.id = args["id"].as<uint16_t>();
    p->create_data_channel(timestamp_from_ms(now), req);
    return val::object();
  }
  val send(int pc, int channel, bool binary, val data, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return val::object();
    if (binary) {
      const base::Bytes bytes = bytes_from_js(data);
      p->send(timestamp_from_ms(now), channel, true, bytes);
    } else {
      const std::string text = data.as<std::string>();
      p->send(timestamp_from_ms(now), channel, false, base::as_bytes(text));
    }
    return val::object();
  }
  val addTransceiver(int pc, val args, double) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    pc::TransceiverRequest r;
    r.handle = args["handle"].as<int>();
    r.kind = args["kind"].as<std::string>() == "video" ? sdp::MediaKind::Video : sdp::MediaKind::Audio;
    r.direction = direction_from_js(args["direction"]).value_or(sdp::Direction::SendRecv);
    r.track_id = opt_string(args["trackId"]);
    r.stream_ids = strings_from_js(args["streamIds"]);
    r.added_by_add_track = args["addedByAddTrack"].isTrue();
    r.receiver_track_id = opt_string(args["receiverTrackId"]).value_or("");
    p->add_transceiver(r);
    return val::object();
  }
  val updateTransceiver(int pc, val args, double) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return no_pc();
    pc::TransceiverUpdate u;
    u.handle = args["handle"].as<int>();
    u.direction = direction_from_js(args["direction"]);
    if (!args["sender"].isUndefined() && !args["sender"].isNull()) u.sender = std::make_pair(opt_string(args["sender"]["trackId"]), strings_from_js(args["sender"]["streamIds"]));
    if (args["codecPreferences"].isArray()) {
      std::vector<sdp::RtpCodec> codecs;
      const val list = args["codecPreferences"];
      for (int i = 0, n = list["length"].as<int>(); i < n; ++i) {
        const val c = list[i];
        // The engine numbers them (sdp::JsepSession::set_codec_preferences).
        codecs.push_back(sdp::RtpCodec{0, c["name"].as<std::string>(),
                                       c["clockRate"].as<uint32_t>(), static_cast<uint16_t>(c["channels"].as<int>()),
                                       c["fmtp"].as<std::string>(), {}});
      }
      u.codec_preferences = std::move(codecs);
    }
    u.stop = args["stop"].isTrue();
    if (args["active"].isTrue() || args["active"].isFalse()) u.active = args["active"].as<bool>();
    if (args["maxBitrate"].isNumber()) u.max_bitrate = args["maxBitrate"].as<uint32_t>();
    u.receiver_track_id = opt_string(args["receiverTrackId"]);
    p->update_transceiver(u);
    return val::object();
  }
  val sendAudio(int pc, int handle, val samples, int sample_rate, int channels, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return val::object();
    std::vector<int16_t> pcm = emscripten::convertJSArrayToNumberVector<int16_t>(samples);
    p->send_audio(timestamp_from_ms(now), handle, pcm, static_cast<uint32_t>(sample_rate), static_cast<uint8_t>(channels));
    return val::object();
  }
  val insertDtmf(int pc, int handle, std::string tone, double duration_ms, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p || tone.size() != 1 || !(duration_ms > 0)) return val::object();
    p->insert_dtmf(timestamp_from_ms(now), handle, tone[0], base::Duration::micros(static_cast<int64_t>(duration_ms * 1000)));
    return val::object();
  }
  val sendVideo(int pc, int handle, int width, int height, val data, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p || width <= 0 || height <= 0) return val::object();
    const base::Bytes i420 = bytes_from_js(data);
    p->send_video(timestamp_from_ms(now), handle, static_cast<uint32_t>(width), static_cast<uint32_t>(height), i420);
    return val::object();
  }
  // ---- codecs the page or process registers (pc/codec_registry.h); the
  // worker runs their encoders and decoders (wasm/worker/user-codecs.cjs).
  // args: { kind, name, clockRate, channels, sdpFmtpLine } -> { payloadType } or { error }.
  val registerCodec(val args) {
    pc::CodecRegistration c;
    c.kind = args["kind"].as<std::string>() == "audio" ? sdp::MediaKind::Audio : sdp::MediaKind::Video;
    c.name = args["name"].as<std::string>();
    c.clock_rate = args["clockRate"].as<uint32_t>();
    c.channels = static_cast<uint16_t>(args["channels"].as<int>());
    c.fmtp = args["sdpFmtpLine"].as<std::string>();
    auto added = engine_.codecs().add(std::move(c));
    val out = val::object();
    if (!added) {
      val error = val::object();
      const bool syntax = added.error() == pc::CodecRegistryError::BadCodec;
      error.set("name", syntax ? "SyntaxError" : added.error() == pc::CodecRegistryError::AlreadyPresent ? "InvalidModificationError" : "OperationError");
      error.set("message", std::string(pc::to_string(added.error())));
      out.set("error", error);
      return out;
    }
    out.set("payloadType", added->payload_type);
    return out;
  }
  // What a sender sends, once negotiated: { name, clockRate, channels,
  // payloadType, sdpFmtpLine, registered } or null.
  val sendCodec(int pc, int handle) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return val::null();
    auto c = p->media().send_codec(handle);
    if (!c) return val::null();
    val out = val::object();
    out.set("name", c->name);
    out.set("clockRate", c->clock_rate);
    out.set("channels", c->channels);
    out.set("payloadType", c->payload_type);
    out.set("sdpFmtpLine", c->fmtp);
    out.set("registered", c->registered != nullptr);
    return out;
  }
  val sendEncodedVideo(int pc, int handle, val data, bool keyframe, int width, int height, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return val::object();
    p->media().send_encoded_video(timestamp_from_ms(now), handle, encoded_video(data, keyframe, width, height));
    return val::object();
  }
  val sendEncodedAudio(int pc, int handle, val data, int samples, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p || samples <= 0) return val::object();
    p->media().send_encoded_audio(timestamp_from_ms(now), handle, bytes_from_js(data), static_cast<uint32_t>(samples));
    return val::object();
  }
  // ---- webrtc-encoded-transform (wasm/worker/transforms.cjs)
  val setTransform(int pc, int handle, bool sender_side, bool on) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->media().set_transform(handle, sender_side, on);
    return val::object();
  }
  // A sender's frame back from its transform, with the timestamp it left with.
  val returnEncodedVideo(int pc, int handle, val data, bool keyframe, int width, int height, double rtp_timestamp, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p) return val::object();
    p->media().send_encoded_video(timestamp_from_ms(now), handle, encoded_video(data, keyframe, width, height),
                                  pc::MediaSession::FrameOrigin::Transform, static_cast<uint32_t>(rtp_timestamp));
    return val::object();
  }
  val returnEncodedAudio(int pc, int handle, val data, int samples, double rtp_timestamp, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    if (!p || samples <= 0) return val::object();
    p->media().send_encoded_audio(timestamp_from_ms(now), handle, bytes_from_js(data), static_cast<uint32_t>(samples),
                                  pc::MediaSession::FrameOrigin::Transform, static_cast<uint32_t>(rtp_timestamp));
    return val::object();
  }
  // A receiver's frame back from its transform, on to the decoder.
  val receiveEncodedVideo(int pc, int handle, val data, bool keyframe, double rtp_timestamp, double now) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc)))
      p->media().receive_encoded_video(timestamp_from_ms(now), handle, bytes_from_js(data), keyframe,
                                       static_cast<uint32_t>(rtp_timestamp));
    return val::object();
  }
  val receiveEncodedAudio(int pc, int handle, int payload_type, int sequence_number, double rtp_timestamp, val data,
                          double now) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc)))
      p->media().receive_encoded_audio(timestamp_from_ms(now), handle, static_cast<uint8_t>(payload_type),
                                       static_cast<uint16_t>(sequence_number), static_cast<uint32_t>(rtp_timestamp),
                                       bytes_from_js(data));
    return val::object();
  }
  val generateKeyFrame(int pc, int handle) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->media().generate_keyframe(handle);
    return val::object();
  }
  val decodeFailed(int pc, int handle, double now) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->media().on_decode_failure(timestamp_from_ms(now), handle);
    return val::object();
  }
  val closeDataChannel(int pc, int channel, double now) {
    if (auto* p = engine_.find(static_cast<pc::PcHandle>(pc))) p->close_data_channel(timestamp_from_ms(now), channel);
    return val::object();
  }
  val getStats(int pc, double now) {
    auto* p = engine_.find(static_cast<pc::PcHandle>(pc));
    val list = val::array();
    if (!p) return list;
    for (const auto& r : p->stats(timestamp_from_ms(now))) list.call<void>("push", to_js(r));
    return list;
  }
  val closePeerConnection(int pc, double now) {
    engine_.close_peer_connection(timestamp_from_ms(now), static_cast<pc::PcHandle>(pc));
    return val::object();
  }
  val generateCertificate(val args, double) {
    const auto not_before = static_cast<int64_t>(args["notBeforeMs"].as<double>() / 1000.0);
    const auto not_after = static_cast<int64_t>(args["notAfterMs"].as<double>() / 1000.0);
    // { rsaModulusBits, rsaPublicExponent } ask for RSA; ECDSA P-256 otherwise.
    dtls::KeyParams key = dtls::KeyParams::ecdsa_p256();
    if (!args["rsaModulusBits"].isUndefined()) {
      key = dtls::KeyParams::rsa(args["rsaModulusBits"].as<unsigned>(),
                                 args["rsaPublicExponent"].as<uint32_t>());
    }
    auto g = engine_.generate_certificate(not_before, not_after, key);
    if (!g) return error_js(g.error());
    val o = val::object();
    o.set("certPem", g->certificate_pem);
    o.set("keyPem", g->private_key_pem);
    val fps = val::array();
    val fp = val::object();
    fp.set("algorithm", std::string("sha-256"));
    fp.set("value", g->sha256_fingerprint);
    fps.call<void>("push", fp);
    o.set("fingerprints", fps);
    return o;
  }

  // ---- the sans-IO loop's interface (wasm/loop/sans-io-loop.cjs)
  void handleDatagram(double now, int socket, const std::string& from, val data) {
    const base::Bytes bytes = bytes_from_js(data);
    engine_.handle_datagram(timestamp_from_ms(now), static_cast<ice::SocketId>(socket), address_from_js(from), bytes);
  }
  void handleStreamData(double now, int stream, val data) {
    const base::Bytes bytes = bytes_from_js(data);
    engine_.handle_stream_data(timestamp_from_ms(now), static_cast<ice::StreamId>(stream), bytes);
  }
  void handleStreamClosed(double now, int stream) {
    engine_.handle_stream_closed(timestamp_from_ms(now), static_cast<ice::StreamId>(stream));
  }
  void handleTimeout(double now) { engine_.handle_timeout(timestamp_from_ms(now)); }

  val pollOutput() {
    auto out = engine_.poll_output();
    if (!out) return val::null();
    val o = val::object();
    if (auto* t = std::get_if<ice::Transmit>(&*out)) {
      o.set("type", std::string("transmit"));
      o.set("socket", t->socket);
      o.set("destination", t->destination.to_string());
      o.set("data", bytes_to_js(t->data));
    } else if (auto* s = std::get_if<ice::StreamTransmit>(&*out)) {
      o.set("type", std::string("stream-transmit"));
      o.set("stream", s->stream);
      o.set("data", bytes_to_js(s->data));
    } else if (auto* e = std::get_if<pc::PcEvent>(&*out)) {
      o.set("type", std::string("event"));
      o.set("pc", e->pc);
      o.set("event", to_js(e->event));
    }
    return o;
  }
  double pollTimeout() const {
    auto d = engine_.poll_timeout();
    return d.is_set() ? timestamp_to_ms(d.value()) : -1;
  }

 private:
  crypto::SystemRandom random_;
  pc::Engine engine_;
};

}  // namespace
}  // namespace wasmrtc::bindings

EMSCRIPTEN_BINDINGS(wasmrtc_engine) {
  using wasmrtc::bindings::Engine;
  emscripten::class_<Engine>("Engine")
      .constructor<>()
      .function("createPeerConnection", &Engine::createPeerConnection)
      .function("setConfiguration", &Engine::setConfiguration)
      .function("insertDtmf", &Engine::insertDtmf)
      .function("addHostSocket", &Engine::addHostSocket)
      .function("addStunServer", &Engine::addStunServer)
      .function("addTurnServer", &Engine::addTurnServer)
      .function("reportCandidateError", &Engine::reportCandidateError)
      .function("createOffer", &Engine::createOffer)
      .function("createAnswer", &Engine::createAnswer)
      .function("setLocalDescription", &Engine::setLocalDescription)
      .function("setRemoteDescription", &Engine::setRemoteDescription)
      .function("addIceCandidate", &Engine::addIceCandidate)
      .function("restartIce", &Engine::restartIce)
      .function("createDataChannel", &Engine::createDataChannel)
      .function("send", &Engine::send)
      .function("closeDataChannel", &Engine::closeDataChannel)
      .function("addTransceiver", &Engine::addTransceiver)
      .function("updateTransceiver", &Engine::updateTransceiver)
      .function("sendAudio", &Engine::sendAudio)
      .function("sendVideo", &Engine::sendVideo)
      .function("registerCodec", &Engine::registerCodec)
      .function("sendCodec", &Engine::sendCodec)
      .function("sendEncodedVideo", &Engine::sendEncodedVideo)
      .function("sendEncodedAudio", &Engine::sendEncodedAudio)
      .function("decodeFailed", &Engine::decodeFailed)
      .function("setTransform", &Engine::setTransform)
      .function("returnEncodedVideo", &Engine::returnEncodedVideo)
      .function("returnEncodedAudio", &Engine::returnEncodedAudio)
      .function("receiveEncodedVideo", &Engine::receiveEncodedVideo)
      .function("receiveEncodedAudio", &Engine::receiveEncodedAudio)
      .function("generateKeyFrame", &Engine::generateKeyFrame)
      .function("getStats", &Engine::getStats)
      .function("closePeerConnection", &Engine::closePeerConnection)
      .function("generateCertificate", &Engine::generateCertificate)
      .function("handleDatagram", &Engine::handleDatagram)
      .function("handleStreamData", &Engine::handleStreamData)
      .function("handleStreamClosed", &Engine::handleStreamClosed)
      .function("handleTimeout", &Engine::handleTimeout)
      .function("pollOutput", &Engine::pollOutput)
      .function("pollTimeout", &Engine::pollTimeout);
}
