#include "session.h"

#include <boost/asio/write.hpp>
#include <cstdio>
#include <type_traits>

#include "log.h"
#include "uri.h"

namespace wasmrtc::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kServerName = "wasmrtc-gateway";
// Largest WebSocket message taken from a client. TURN over TCP frames are at
// most 4 + 65535 bytes (RFC 8656 12.5); a client may send several in one.
constexpr std::size_t kMaxMessage = 256 * 1024;
// Client bytes are forwarded in pieces of at most this size, as they come.
constexpr std::size_t kReadPiece = 64 * 1024;
// One read from the TURN server, sent on as one WebSocket message.
constexpr std::size_t kTurnReadSize = 64 * 1024;
constexpr std::size_t kMaxRequestHeader = 8 * 1024;
// How long a closing WebSocket may take after server shutdown began.
constexpr milliseconds kShutdownGrace{1000};

template <class NextLayer>
constexpr bool kTlsLayer = !std::is_same_v<NextLayer, beast::tcp_stream>;

bool is_http_parse_error(const beast::error_code& ec) {
  if (ec.category() != http::make_error_code(http::error::bad_target).category()) return false;
  // The client left (before or during its request): nothing to answer.
  return ec != http::error::end_of_stream && ec != http::error::partial_message;
}

std::string seconds_since(steady_clock::time_point start) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3fs",
                std::chrono::duration<double>(steady_clock::now() - start).count());
  return text;
}

}  // namespace

template <class NextLayer>
Session<NextLayer>::~Session() {
  if (!logged_end_) log_event(describe() + " drop: connection ended");
  if (on_destroy_) on_destroy_();
}

template <class NextLayer>
std::string Session<NextLayer>::describe() const { return "#" + std::to_string(identity_.id) + " " + identity_.peer; }

template <class NextLayer>
void Session<NextLayer>::start() {
  // Backstop for the whole upgrade (TLS, request, DNS, connect, 101, or the
  // refusal's write): each step has its own limit, this one catches the rest.
  arm_kill_timer(4 * options_.handshake_timeout + milliseconds(1000));
  if constexpr (kTlsLayer<NextLayer>) {
    client_tcp().expires_after(options_.handshake_timeout);
    ws_.next_layer().async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
      self->on_tls_handshake(ec);
    });
  } else {
    read_request();
  }
}

template <class NextLayer>
void Session<NextLayer>::on_tls_handshake(error_code ec) {
  if (phase_ != Phase::Handshake) return;
  if (ec) return drop("TLS handshake: " + ec.message());
  read_request();
}

template <class NextLayer>
void Session<NextLayer>::read_request() {
  client_tcp().expires_after(options_.handshake_timeout);
  parser_.emplace();
  parser_->header_limit(kMaxRequestHeader);
  http::async_read(ws_.next_layer(), request_buffer_, *parser_,
                   [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_request(ec); });
}

template <class NextLayer>
void Session<NextLayer>::on_request(error_code ec) {
  if (phase_ != Phase::Handshake) return;
  if (!ec) return check_request();
  if (is_http_parse_error(ec)) return refuse(Refusal::MalformedRequest, ec.message());
  drop("during handshake: " + ec.message());
}

template <class NextLayer>
void Session<NextLayer>::check_request() {
  const auto& req = parser_->get();
  if (identity_.over_limit) return refuse(*identity_.over_limit, "");
  if (!websocket::is_upgrade(req)) {
    return refuse(Refusal::NotWebSocket, sanitize(std::string(req.method_string()) + " " + std::string(req.target())));
  }
  if (req[http::field::sec_websocket_version] != "13") {
    return refuse(Refusal::BadWebSocketVersion, sanitize(req[http::field::sec_websocket_version]));
  }
  if (req[http::field::sec_websocket_key].empty()) {
    return refuse(Refusal::BadWebSocketHandshake, "no Sec-WebSocket-Key");
  }

  // Origin (RFC 6455 10.2): what a browser says about the page. It keeps
  // other sites' pages out; non-browser clients can send anything.
  std::optional<std::string_view> origin;
  if (req.count(http::field::origin) > 1) return refuse(Refusal::OriginNotAllowed, "several Origin headers");
  if (const auto it = req.find(http::field::origin); it != req.end()) origin = it->value();
  bool origin_ok = true;
  switch (options_.origin_policy) {
    case OriginPolicy::Any: break;
    case OriginPolicy::List: origin_ok = options_.origins.allows(origin); break;
    case OriginPolicy::SameHost: origin_ok = origin && OriginList::same_host(*origin, req[http::field::host]); break;
  }
  if (!origin_ok) {
    return refuse(Refusal::OriginNotAllowed, origin ? sanitize(*origin) : "no Origin header");
  }

  QueryError query_error{};
  const auto raw = query_parameter(req.target(), "target", &query_error);
  if (!raw) return refuse(Refusal::BadTarget, std::string("?target ") + to_string(query_error));
  AddressError address_error{};
  const auto target = parse_host_port(*raw, &address_error);
  if (!target) return refuse(Refusal::BadTarget, sanitize(*raw) + ": " + to_string(address_error));
  const HostPort* allowed = options_.turn.find(*target);
  if (!allowed) return refuse(Refusal::TargetNotAllowed, target->to_string());

  // A client must wait for the 101 before sending frames (RFC 6455 4.1).
  if (request_buffer_.size() != 0) return refuse(Refusal::MalformedRequest, "data before the handshake completed");
  target_ = *allowed;
  connect_turn();
}

template <class NextLayer>
void Session<NextLayer>::refuse(Refusal why, const std::string& detail) {
  phase_ = Phase::Refusing;
  const int status = status_of(why);
  log_event(describe() + " refuse " + std::to_string(status) + " " + to_string(why) +
            (detail.empty() ? "" : ": " + detail));
  logged_end_ = true;

  auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
  res->set(http::field::server, kServerName);
  res->set(http::field::content_type, "text/plain; charset=utf-8");
  res->set(http::field::cache_control, "no-store");
  if (why == Refusal::NotWebSocket) res->set(http::field::upgrade, "websocket");
  if (why == Refusal::BadWebSocketVersion) res->set(http::field::sec_websocket_version, "13");
  res->body() = std::string(to_string(why)) + "\n";
  res->keep_alive(false);
  res->prepare_payload();

  client_tcp().expires_after(options_.handshake_timeout);
  http::async_write(ws_.next_layer(), *res, [self = this->shared_from_this(), res](error_code, std::size_t) {
    error_code ignored;
    self->client_tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->close_sockets();
    self->phase_ = Phase::Done;
  });
}

template <class NextLayer>
void Session<NextLayer>::drop(const std::string& reason) {
  if (phase_ == Phase::Done) return;
  if (!logged_end_) log_event(describe() + " drop: " + reason);
  logged_end_ = true;
  phase_ = Phase::Done;
  close_sockets();
}

template <class NextLayer>
void Session<NextLayer>::connect_turn() {
  auto self = this->shared_from_this();
  turn_.expires_after(options_.handshake_timeout);
  if (target_.kind != HostKind::Name) {
    error_code ec;
    const auto address = asio::ip::make_address(target_.host, ec);  // canonical text: cannot fail
    if (ec) return refuse(Refusal::TurnUnreachable, target_.to_string() + ": " + ec.message());
    turn_.async_connect(tcp::endpoint(address, target_.port),
                        [self](error_code ec) { self->on_turn_connected(ec); });
    return;
  }
  // DNS names are resolved per connection (the resolver runs getaddrinfo on
  // Asio's private thread; handlers still run on ours).
  resolver_.emplace(ws_.get_executor());
  resolver_->async_resolve(target_.host, std::to_string(target_.port),
                           [self](error_code ec, tcp::resolver::results_type results) {
                             if (self->phase_ != Phase::Handshake) return;
                             if (ec) {
                               return self->refuse(Refusal::TurnUnreachable,
                                                   "resolving " + self->target_.to_string() + ": " + ec.message());
                             }
                             self->turn_.async_connect(results, [self](error_code ec, const tcp::endpoint&) {
                               self->on_turn_connected(ec);
                             });
                           });
}

template <class NextLayer>
void Session<NextLayer>::on_turn_connected(error_code ec) {
  if (phase_ != Phase::Handshake) return;
  if (ec) return refuse(Refusal::TurnUnreachable, target_.to_string() + ": " + ec.message());
  turn_.expires_never();
  error_code ignored;
  // TURN carries ICE checks and media: latency matters more than segment count.
  turn_.socket().set_option(tcp::no_delay(true), ignored);
  client_tcp().socket().set_option(tcp::no_delay(true), ignored);

  // From here the WebSocket layer keeps time (101 and closing handshake);
  // the idle limit is ours, since it counts traffic in both directions.
  client_tcp().expires_never();
  ws_.set_option(websocket::stream_base::timeout{options_.handshake_timeout, websocket::stream_base::none(), false});
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, kServerName); }));
  // The message size limit is enforced in on_client_message, not by
  // Beast: its own failure path (Boost 1.74) closes the socket with the
  // rest of the message unread, so the client gets a reset instead of the
  // 1009 close frame. Ours sends 1009 through the closing handshake.
  ws_.read_message_max(0);
  ws_.binary(true);
  ws_.async_accept(parser_->get(), [self = this->shared_from_this()](error_code ec) { self->on_accepted(ec); });
}

template <class NextLayer>
void Session<NextLayer>::on_accepted(error_code ec) {
  if (phase_ != Phase::Handshake) return;
  if (ec) return drop("WebSocket handshake: " + ec.message());
  phase_ = Phase::Open;
  kill_timer_.cancel();
  parser_.reset();
  from_turn_ = std::make_unique<uint8_t[]>(kTurnReadSize);
  opened_at_ = last_activity_ = steady_clock::now();
  // The local end of the TURN connection is what the TURN server logs as
  // the client: it ties a coturn session to this line.
  error_code ignored;
  const auto via = turn_.socket().local_endpoint(ignored);
  log_event(describe() + " open target=" + target_.to_string() + " via=" +
            (via.address().is_v6() ? "[" + via.address().to_string() + "]" : via.address().to_string()) + ":" +
            std::to_string(via.port()));
  arm_idle_timer();
  read_client();
  read_turn();
}

// Client -> TURN.

template <class NextLayer>
void Session<NextLayer>::read_client() {
  ws_.async_read_some(from_client_, kReadPiece,
                      [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_client_message(ec, n); });
}

template <class NextLayer>
void Session<NextLayer>::on_client_message(error_code ec, std::size_t n) {
  if (phase_ != Phase::Open) return;
  if (ec == websocket::error::closed) {
    const auto code = ws_.reason().code;  // 0: a close frame without a code
    return close(code ? "client closed (" + std::to_string(code) + ")" : "client closed", websocket::close_code::normal,
                 options_.handshake_timeout);
  }
  if (ec == asio::error::eof || ec == asio::error::connection_reset) {
    return close("client left without a close frame", websocket::close_code::normal, options_.handshake_timeout);
  }
  if (ec) return close("client: " + ec.message(), websocket::close_code::protocol_error, options_.handshake_timeout);
  // Only binary messages carry TURN (the framing is binary, RFC 8656 12.5).
  if (!ws_.got_binary()) {
    return close("text message", websocket::close_code::policy_error, options_.handshake_timeout);
  }
  message_bytes_ += n;
  if (message_bytes_ > kMaxMessage) {
    return close("message over " + std::to_string(kMaxMessage) + " bytes", websocket::close_code::too_big,
                 options_.handshake_timeout);
  }
  if (ws_.is_message_done()) message_bytes_ = 0;
  touch();
  bytes_to_turn_ += n;
  asio::async_write(turn_, from_client_.data(),
                    [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_turn_written(ec); });
}

template <class NextLayer>
void Session<NextLayer>::on_turn_written(error_code ec) {
  if (phase_ != Phase::Open) return;
  if (ec) {
    return close("TURN write: " + ec.message(), websocket::close_code::internal_error, options_.handshake_timeout);
  }
  from_client_.consume(from_client_.size());
  touch();
  read_client();
}

// TURN -> client.

template <class NextLayer>
void Session<NextLayer>::read_turn() {
  turn_.async_read_some(asio::buffer(from_turn_.get(), kTurnReadSize),
                        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_turn_read(ec, n); });
}

template <class NextLayer>
void Session<NextLayer>::on_turn_read(error_code ec, std::size_t n) {
  if (phase_ != Phase::Open) return;
  if (ec == asio::error::eof) {
    return close("TURN server closed", websocket::close_code::normal, options_.handshake_timeout);
  }
  if (ec) return close("TURN read: " + ec.message(), websocket::close_code::internal_error, options_.handshake_timeout);
  touch();
  bytes_to_client_ += n;
  ws_.async_write(asio::buffer(from_turn_.get(), n),
                  [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_client_written(ec); });
}

template <class NextLayer>
void Session<NextLayer>::on_client_written(error_code ec) {
  if (phase_ != Phase::Open) return;
  if (ec) {
    return close("client write: " + ec.message(), websocket::close_code::internal_error, options_.handshake_timeout);
  }
  touch();
  read_turn();
}

// Time and teardown.

template <class NextLayer>
void Session<NextLayer>::touch() { last_activity_ = steady_clock::now(); }

template <class NextLayer>
void Session<NextLayer>::arm_idle_timer() {
  if (options_.idle_timeout.count() == 0) return;
  idle_timer_.expires_at(last_activity_ + options_.idle_timeout);
  idle_timer_.async_wait([weak = this->weak_from_this()](error_code ec) {
    const auto self = weak.lock();
    if (ec || !self || self->phase_ != Phase::Open) return;
    // A write stuck on a client that stopped reading is no traffic either.
    if (steady_clock::now() - self->last_activity_ >= self->options_.idle_timeout) {
      self->close("idle timeout", websocket::close_code::normal, self->options_.handshake_timeout);
    } else {
      self->arm_idle_timer();
    }
  });
}

template <class NextLayer>
void Session<NextLayer>::close(const std::string& reason, websocket::close_code code, milliseconds grace) {
  if (phase_ != Phase::Open) return;
  phase_ = Phase::Closing;
  log_event(describe() + " close target=" + target_.to_string() + " reason=\"" + reason +
            "\" to_turn=" + std::to_string(bytes_to_turn_) + "B to_client=" + std::to_string(bytes_to_client_) +
            "B after " + seconds_since(opened_at_));
  logged_end_ = true;
  idle_timer_.cancel();
  turn_.close();
  if (!ws_.is_open()) {  // the client's close frame was answered already, or the stream failed
    close_sockets();
    phase_ = Phase::Done;
    return;
  }
  // Waits for a pending write, sends the close frame, reads the reply.
  ws_.async_close(websocket::close_reason(code), [self = this->shared_from_this()](error_code) {
    self->close_sockets();
    self->phase_ = Phase::Done;
  });
  arm_kill_timer(grace);
}

template <class NextLayer>
void Session<NextLayer>::arm_kill_timer(milliseconds grace) {
  kill_timer_.expires_after(grace);
  kill_timer_.async_wait([weak = this->weak_from_this()](error_code ec) {
    const auto self = weak.lock();
    if (ec || !self) return;
    if (self->phase_ == Phase::Handshake) return self->drop("handshake timeout");
    self->close_sockets();
    self->phase_ = Phase::Done;
  });
}

template <class NextLayer>
void Session<NextLayer>::close_sockets() {
  // Pending operations complete with operation_aborted and release `this`.
  client_tcp().close();
  turn_.close();
  if (resolver_) resolver_->cancel();
  idle_timer_.cancel();
  kill_timer_.cancel();
}

template <class NextLayer>
void Session<NextLayer>::shutdown() {
  switch (phase_) {
    case Phase::Handshake:
      drop("server shutdown");
      break;
    case Phase::Refusing:
      close_sockets();
      phase_ = Phase::Done;
      break;
    case Phase::Open:
      close("server shutdown", websocket::close_code::going_away, kShutdownGrace);
      break;
    case Phase::Closing:
      arm_kill_timer(kShutdownGrace);
      break;
    case Phase::Done:
      break;
  }
}

template class Session<beast::tcp_stream>;
template class Session<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace wasmrtc::gateway
