// Binds ice::Agent as IceAgent, for the worker loop (wasm/loop) and tests.
// Addresses cross as "ip:port" strings, candidates as their SDP text, time
// as milliseconds, outputs as plain objects tagged by `type`.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <type_traits>

#include "bindings/convert.h"
#include "crypto/system_random.h"
#include "ice/agent.h"

namespace wasmrtc::bindings {
namespace {

using emscripten::val;

base::SocketAddress address_from_js(const std::string& text) {
  auto a = base::SocketAddress::parse(text);
  return a ? *a : base::SocketAddress{};
}

class IceAgent {
 public:
  explicit IceAgent(val config) {
    ice::Config c;
    c.role = config["controlling"].as<bool>() ? ice::Role::Controlling : ice::Role::Controlled;
    if (config["ufrag"].isString() && config["pwd"].isString()) {
      c.local = {config["ufrag"].as<std::string>(), config["pwd"].as<std::string>()};
    } else {
      c.local = ice::random_credentials(random_);
    }
    if (config["consentIntervalMs"].isNumber())
      c.consent_interval = base::Duration::millis(config["consentIntervalMs"].as<int>());
    agent_ = std::make_unique<ice::Agent>(c, random_);
  }

  void addHostSocket(int socket, const std::string& local) {
    agent_->add_host_socket(static_cast<ice::SocketId>(socket), address_from_js(local));
  }
  void addStunServer(const std::string& server, const std::string& url) {
    agent_->add_stun_server(address_from_js(server), url);
  }
  void addTurnServer(val s) {
    ice::TurnServer t;
    t.address = address_from_js(s["address"].as<std::string>());
    t.transport = s["transport"].as<std::string>() == "stream" ? ice::TurnTransport::Stream
                                                                : ice::TurnTransport::Udp;
    if (s["stream"].isNumber()) t.stream = s["stream"].as<uint32_t>();
    t.username = s["username"].as<std::string>();
    t.password = s["password"].as<std::string>();
    if (s["url"].isString()) t.url = s["url"].as<std::string>();
    agent_->add_turn_server(t);
  }
  void gather(double now) { agent_->gather(timestamp_from_ms(now)); }

  void setRemoteCredentials(const std::string& ufrag, const std::string& pwd, bool lite) {
    agent_->set_remote_credentials({ufrag, pwd}, lite);
  }
  // "" on success, else the reason.
  std::string addRemoteCandidate(double now, const std::string& line) {
    auto c = ice::Candidate::parse(line);
    if (!c) return ice::to_string(c.error());
    auto r = agent_->add_remote_candidate(timestamp_from_ms(now), *c);
    return r ? "" : ice::to_string(r.error());
  }
  void endOfRemoteCandidates() { agent_->end_of_remote_candidates(); }

  void handleDatagram(double now, int socket, const std::string& from, val data) {
    auto bytes = bytes_from_js(data);
    agent_->handle_datagram(timestamp_from_ms(now), static_cast<ice::SocketId>(socket),
                            address_from_js(from), bytes);
  }
  void handleStreamData(double now, int stream, val data) {
    auto bytes = bytes_from_js(data);
    agent_->handle_stream_data(timestamp_from_ms(now), static_cast<ice::StreamId>(stream), bytes);
  }
  void handleStreamClosed(double now, int stream) {
    agent_->handle_stream_closed(timestamp_from_ms(now), static_cast<ice::StreamId>(stream));
  }
  void handleTimeout(double now) { agent_->handle_timeout(timestamp_from_ms(now)); }

  // The next output as an object, or null when none is left.
  val pollOutput() {
    auto out = agent_->poll_output();
    if (!out) return val::null();
    return std::visit([](auto& o) { return to_js(o); }, *out);
  }
  // Milliseconds, or -1 when no timer is pending.
  double pollTimeout() const {
    auto d = agent_->poll_timeout();
    return d.is_set() ? timestamp_to_ms(d.value()) : -1;
  }

  std::string send(double now, val data) {
    auto bytes = bytes_from_js(data);
    auto r = agent_->send(timestamp_from_ms(now), bytes);
    return r ? "" : ice::to_string(r.error());
  }
  void restart(double now) {
    agent_->restart(timestamp_from_ms(now), ice::random_credentials(random_));
  }
  void close(double now) { agent_->close(timestamp_from_ms(now)); }

  std::string state() const { return ice::to_string(agent_->state()); }
  std::string gatheringState() const { return ice::to_string(agent_->gathering_state()); }
  std::string role() const {
    return agent_->role() == ice::Role::Controlling ? "controlling" : "controlled";
  }
  std::string ufrag() const { return agent_->local_credentials().ufrag; }
  std::string pwd() const { return agent_->local_credentials().pwd; }

  val pairStats() const {
    val list = val::array();
    for (const auto& p : agent_->pair_stats()) {
      val s = val::object();
      s.set("local", p.local.to_sdp());
      s.set("remote", p.remote.to_sdp());
      s.set("state", p.state);
      s.set("nominated", p.nominated);
      s.set("selected", p.selected);
      s.set("bytesSent", static_cast<double>(p.bytes_sent));
      s.set("bytesReceived", static_cast<double>(p.bytes_received));
      s.set("packetsSent", static_cast<double>(p.packets_sent));
      s.set("packetsReceived", static_cast<double>(p.packets_received));
      s.set("requestsSent", static_cast<double>(p.requests_sent));
      s.set("responsesReceived", static_cast<double>(p.responses_received));
      if (p.current_rtt) s.set("currentRoundTripTime", p.current_rtt->us() / 1e6);
      list.call<void>("push", s);
    }
    return list;
  }

 private:
  static val tagged(const char* type) {
    val o = val::object();
    o.set("type", type);
    return o;
  }
  static val to_js(const ice::Transmit& t) {
    val o = tagged("transmit");
    o.set("socket", t.socket);
    o.set("destination", t.destination.to_string());
    o.set("data", bytes_to_js(t.data));
    return o;
  }
  static val to_js(const ice::StreamTransmit& t) {
    val o = tagged("stream-transmit");
    o.set("stream", t.stream);
    o.set("data", bytes_to_js(t.data));
    return o;
  }
  static val to_js(const ice::LocalCandidate& c) {
    val o = tagged("candidate");
    o.set("candidate", c.candidate.to_sdp());
    return o;
  }
  static val to_js(const ice::GatheringStateChanged& g) {
    val o = tagged("gathering-state");
    o.set("state", std::string(ice::to_string(g.state)));
    return o;
  }
  static val to_js(const ice::CandidateError& e) {
    val o = tagged("candidate-error");
    o.set("url", e.url);
    o.set("errorCode", e.code);
    o.set("errorText", e.text);
    if (e.local) o.set("address", e.local->to_string());
    return o;
  }
  static val to_js(const ice::StateChanged& s) {
    val o = tagged("state");
    o.set("state", std::string(ice::to_string(s.state)));
    return o;
  }
  static val to_js(const ice::SelectedPairChanged& p) {
    val o = tagged("selected-pair");
    o.set("local", p.local.to_sdp());
    o.set("remote", p.remote.to_sdp());
    return o;
  }
  static val to_js(const ice::Data& d) {
    val o = tagged("data");
    o.set("data", bytes_to_js(d.data));
    return o;
  }
  static val to_js(const ice::RoleChanged& r) {
    val o = tagged("role");
    o.set("role", std::string(r.role == ice::Role::Controlling ? "controlling" : "controlled"));
    return o;
  }

  crypto::SystemRandom random_;
  std::unique_ptr<ice::Agent> agent_;
};

}  // namespace
}  // namespace wasmrtc::bindings

EMSCRIPTEN_BINDINGS(wasmrtc_ice) {
  using wasmrtc::bindings::IceAgent;
  emscripten::class_<IceAgent>("IceAgent")
      .constructor<emscripten::val>()
      .function("addHostSocket", &IceAgent::addHostSocket)
      .function("addStunServer", &IceAgent::addStunServer)
      .function("addTurnServer", &IceAgent::addTurnServer)
      .function("gather", &IceAgent::gather)
      .function("setRemoteCredentials", &IceAgent::setRemoteCredentials)
      .function("addRemoteCandidate", &IceAgent::addRemoteCandidate)
      .function("endOfRemoteCandidates", &IceAgent::endOfRemoteCandidates)
      .function("handleDatagram", &IceAgent::handleDatagram)
      .function("handleStreamData", &IceAgent::handleStreamData)
      .function("handleStreamClosed", &IceAgent::handleStreamClosed)
      .function("handleTimeout", &IceAgent::handleTimeout)
      .function("pollOutput", &IceAgent::pollOutput)
      .function("pollTimeout", &IceAgent::pollTimeout)
      .function("send", &IceAgent::send)
      .function("restart", &IceAgent::restart)
      .function("close", &IceAgent::close)
      .function("state", &IceAgent::state)
      .function("gatheringState", &IceAgent::gatheringState)
      .function("role", &IceAgent::role)
      .function("ufrag", &IceAgent::ufrag)
      .function("pwd", &IceAgent::pwd)
      .function("pairStats", &IceAgent::pairStats);
}
