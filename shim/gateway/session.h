// One client connection: the HTTP upgrade and its checks, then a pipe between
// a WebSocket and a TCP connection to the allowed TURN server.
//
//   Handshake: (for wss:// the TLS handshake,) read the request, check it
//              (limits, origin, target), connect to the TURN server, send
//              the 101; each step within the handshake timeout.
//              Any failure answers with an HTTP status (see refusal.h) or,
//              if the client is gone, just drops the socket.
//   Open:      two pumps, each with at most one operation in flight:
//                client -> TURN: read one WebSocket message, write it to TCP;
//                TURN -> client: read from TCP, write one binary message.
//              A pump reads again only once its write completed, so neither
//              side can make the gateway buffer more than one message
//              (backpressure reaches the sender through TCP flow control).
//   Closing:   entered once, for the first reason (either side closed or
//              failed, a text message, idle timeout, shutdown): the TURN
//              socket is closed and a WebSocket close frame sent; a grace
//              timer then closes whatever is left.
//
// Every handler holds a shared_ptr to the session; timers hold weak_ptrs, so
// the session is destroyed, and its sockets closed, as soon as no I/O is
// pending. Single-threaded: all handlers run on the one io_context thread.
//
// The same code serves ws:// and wss://: Session is a template over the layer
// under the WebSocket (TCP, or TLS over TCP with --cert/--key), instantiated
// for both in session.cc.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "allow_list.h"
#include "options.h"
#include "refusal.h"

namespace wasmrtc::gateway {

// What the server needs of a session, whatever its layers.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void start() = 0;
  // Server shutdown: a WebSocket close (1001) if open, else drop; sockets
  // are closed within a short grace period either way.
  virtual void shutdown() = 0;
};

struct SessionIdentity {
  uint64_t id = 0;
  std::string peer;  // "ip:port", for logs
  // Accepted over a limit (--max-per-ip: 429, --max-connections: 503): the
  // request is read and answered with this refusal.
  std::optional<Refusal> over_limit;
};

template <class NextLayer>
class Session final : public Connection, public std::enable_shared_from_this<Session<NextLayer>> {
 public:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::beast::error_code;

  // `layer_args` construct the layer under the WebSocket: a tcp::socket, and
  // for TLS the ssl::context after it. `on_destroy` runs in the destructor
  // (to release the per-IP slot).
  template <class... LayerArgs>
  Session(const Options& options, SessionIdentity identity, std::function<void()> on_destroy,
          LayerArgs&&... layer_args)
      : options_(options),
        identity_(std::move(identity)),
        on_destroy_(std::move(on_destroy)),
        ws_(std::forward<LayerArgs>(layer_args)...),
        request_buffer_(kRequestBufferLimit),
        turn_(ws_.get_executor()),
        idle_timer_(ws_.get_executor()),
        kill_timer_(ws_.get_executor()) {}
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() override;
  void shutdown() override;

 private:
  enum class Phase { Handshake, Refusing, Open, Closing, Done };
  static constexpr std::size_t kRequestBufferLimit = 16 * 1024;

  boost::beast::tcp_stream& client_tcp() { return boost::beast::get_lowest_layer(ws_); }

  void on_tls_handshake(error_code ec);
  void read_request();
  void on_request(error_code ec);
  void check_request();
  void refuse(Refusal why, const std::string& detail);
  void drop(const std::string& reason);
  void connect_turn();
  void on_turn_connected(error_code ec);
  void on_accepted(error_code ec);

  void read_client();
  void on_client_message(error_code ec, std::size_t n);
  void on_turn_written(error_code ec);
  void read_turn();
  void on_turn_read(error_code ec, std::size_t n);
  void on_client_written(error_code ec);

  void touch();
  void arm_idle_timer();
  void close(const std::string& reason, boost::beast::websocket::close_code code,
             std::chrono::milliseconds grace);
  void arm_kill_timer(std::chrono::milliseconds grace);
  void close_sockets();
  std::string describe() const;  // "#id peer"

  const Options& options_;
  const SessionIdentity identity_;
  std::function<void()> on_destroy_;
  Phase phase_ = Phase::Handshake;
  bool logged_end_ = false;

  boost::beast::websocket::stream<NextLayer> ws_;
  boost::beast::flat_buffer request_buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
  HostPort target_;

  boost::beast::tcp_stream turn_;
  std::optional<tcp::resolver> resolver_;  // only for --turn entries given as DNS names

  boost::beast::flat_buffer from_client_;
  // Allocated once the WebSocket is open, not for every connection accepted.
  std::unique_ptr<uint8_t[]> from_turn_;

  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer kill_timer_;
  std::chrono::steady_clock::time_point opened_at_{};
  std::chrono::steady_clock::time_point last_activity_{};
  uint64_t bytes_to_turn_ = 0;
  std::size_t message_bytes_ = 0;  // of the client's current WebSocket message
  uint64_t bytes_to_client_ = 0;
};

using PlainSession = Session<boost::beast::tcp_stream>;
using TlsSession = Session<boost::beast::ssl_stream<boost::beast::tcp_stream>>;
extern template class Session<boost::beast::tcp_stream>;
extern template class Session<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace wasmrtc::gateway
