#include "server.h"

#include <cerrno>
#include <unordered_map>
#include <vector>

#include "log.h"
#include "refusal.h"
#include "session.h"

namespace wasmrtc::gateway {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// Over-limit connections being answered with 429 at once, per key, and with
// 503 in all. Beyond this they are closed without an answer, so that
// refusing costs little.
constexpr unsigned kMaxRefusingPerKey = 8;
constexpr unsigned kMaxRefusingInAll = 64;
// Pause before accepting again when out of file descriptors or memory.
constexpr milliseconds kAcceptRetry{100};

asio::ip::address unmapped(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a;
}

unsigned count(const std::unordered_map<std::string, unsigned>& counts, const std::string& key) {
  const auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::string format_endpoint(const asio::ip::tcp::endpoint& ep) {
  const auto a = unmapped(ep.address());
  const std::string port = std::to_string(ep.port());
  return a.is_v6() ? "[" + a.to_string() + "]:" + port : a.to_string() + ":" + port;
}

}  // namespace

std::string client_key(const asio::ip::address& address) {
  const auto a = unmapped(address);
  if (a.is_v4()) return a.to_string();
  auto bytes = a.to_v6().to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

struct Server::Registry {
  std::unordered_map<std::string, unsigned> open;      // handshaking and open sessions
  std::unordered_map<std::string, unsigned> refusing;  // over-limit sessions answering 429 or 503
  unsigned open_in_all = 0;
  unsigned refusing_in_all = 0;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> sessions;
};

Server::Server(asio::io_context& io, const Options& options)
    : io_(io), options_(options), acceptor_(io), retry_timer_(io), registry_(std::make_shared<Registry>()) {}

Server::~Server() = default;

bool Server::listen(std::string* error) {
  boost::system::error_code ec;
  if (!options_.tls_cert.empty()) {
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    tls_->use_certificate_chain_file(options_.tls_cert, ec);
    if (ec) {
      *error = "--cert " + options_.tls_cert + ": " + ec.message();
      return false;
    }
    tls_->use_private_key_file(options_.tls_key, asio::ssl::context::pem, ec);
    if (ec) {
      *error = "--key " + options_.tls_key + ": " + ec.message();
      return false;
    }
  }
  const auto address = asio::ip::make_address(options_.listen.host, ec);
  if (ec) {
    *error = ec.message();
    return false;
  }
  const tcp::endpoint endpoint(address, options_.listen.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) *error = ec.message();
  return !ec;
}

std::string Server::local_address() const {
  boost::system::error_code ec;
  return format_endpoint(acceptor_.local_endpoint(ec));
}

void Server::start() {
  const char* origins = options_.origin_policy == OriginPolicy::Any        ? "any origin"
                        : options_.origin_policy == OriginPolicy::SameHost ? "origins of this host only"
                                                                            : "listed origins only";
  log_event(std::string("listening on ") + (tls_ ? "wss://" : "ws://") + local_address() + ", " +
            std::to_string(options_.turn.entries().size()) + " TURN server(s) allowed, " + origins);
  accept();
}

void Server::accept() {
  acceptor_.async_accept(io_, [this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors or memory: wait a little rather than spin, since the
    // pending connection stays in the backlog and would fail again at once.
    log_event("accept: " + ec.message());
    if (ec == asio::error::no_descriptors || ec == asio::error::no_memory || ec == asio::error::no_buffer_space ||
        ec.value() == ENFILE) {
      retry_timer_.expires_after(kAcceptRetry);
      retry_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec && !stopping_) accept();
      });
      return;
    }
    return accept();
  }

  const uint64_t id = next_id_++;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) {  // gone already
    socket.close(ec);
    return accept();
  }
  const std::string key = client_key(remote.address());
  const std::string peer = format_endpoint(remote);
  Registry& reg = *registry_;
  std::optional<Refusal> over_limit;
  if (options_.max_per_ip != 0 && count(reg.open, key) >= options_.max_per_ip) {
    over_limit = Refusal::TooManyConnections;
  } else if (options_.max_connections != 0 && reg.open_in_all >= options_.max_connections) {
    over_limit = Refusal::ServerFull;
  }
  if (over_limit && (count(reg.refusing, key) >= kMaxRefusingPerKey || reg.refusing_in_all >= kMaxRefusingInAll)) {
    log_event("#" + std::to_string(id) + " " + peer + " refuse: " + to_string(*over_limit) + " (closed unanswered)");
    socket.close(ec);
    return accept();
  }
  const bool refusing = over_limit.has_value();
  ++(refusing ? reg.refusing : reg.open)[key];
  ++(refusing ? reg.refusing_in_all : reg.open_in_all);
  auto release = [registry = registry_, key, id, refusing] {
    auto& counts = refusing ? registry->refusing : registry->open;
    if (const auto it = counts.find(key); it != counts.end() && --it->second == 0) counts.erase(it);
    --(refusing ? registry->refusing_in_all : registry->open_in_all);
    registry->sessions.erase(id);
  };

  SessionIdentity identity{id, peer, over_limit};
  std::shared_ptr<Connection> session;
  if (tls_) {
    session = std::make_shared<TlsSession>(options_, std::move(identity), std::move(release), std::move(socket), *tls_);
  } else {
    session = std::make_shared<PlainSession>(options_, std::move(identity), std::move(release), std::move(socket));
  }
  reg.sessions[id] = session;
  session->start();
  accept();
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
  // Collect first: shutting a session down may destroy another's last owner,
  // which erases it from the map.
  std::vector<std::shared_ptr<Connection>> live;
  for (const auto& [id, weak] : registry_->sessions) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  log_event("shutting down: closing " + std::to_string(live.size()) + " connection(s)");
  for (const auto& s : live) s->shutdown();
}

}  // namespace wasmrtc::gateway
