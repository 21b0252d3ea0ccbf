// The listening socket, the per-address connection counts (--max-per-ip) and
// the set of live sessions, so that shutdown can close them all.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "options.h"

namespace wasmrtc::gateway {

class Server {
 public:
  using tcp = boost::asio::ip::tcp;

  Server(boost::asio::io_context& io, const Options& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key if given, then opens, binds and
  // listens on options.listen. On failure returns false with a one-line
  // reason in *error.
  bool listen(std::string* error);
  // "127.0.0.1:40123", "[::1]:40123": the bound address (the real port when
  // --listen asked for port 0).
  std::string local_address() const;
  void start();
  // Stops accepting and shuts every session down. io_context::run returns
  // once they are gone.
  void stop();

 private:
  struct Registry;

  void accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);

  boost::asio::io_context& io_;
  const Options& options_;
  tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::optional<boost::asio::ssl::context> tls_;  // with --cert/--key: wss://
  // Shared with the sessions, which release their slot when destroyed, even
  // if that happens after the Server is gone.
  std::shared_ptr<Registry> registry_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
};

// The key --max-per-ip counts by: the IPv4 address (IPv4-mapped IPv6 counts
// as IPv4), or the /64 prefix of an IPv6 address, since one host commonly
// holds a whole /64.
std::string client_key(const boost::asio::ip::address& address);

}  // namespace wasmrtc::gateway
