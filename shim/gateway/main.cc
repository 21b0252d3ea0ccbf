// wasmrtc-gateway: carries TURN over TCP between WebSocket clients and
// allow-listed TURN servers. See README.md and --help.
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "log.h"
#include "options.h"
#include "server.h"

namespace {

// Each connection holds two descriptors: use all the hard limit allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wasmrtc::gateway;
  const ParsedArgs parsed = parse_args(std::vector<std::string>(argv + 1, argv + argc));
  switch (parsed.action) {
    case ParsedArgs::Action::Help:
      std::fputs(usage(), stdout);
      return 0;
    case ParsedArgs::Action::Error:
      std::fprintf(stderr, "wasmrtc-gateway: %s\nRun 'wasmrtc-gateway --help' for usage.\n", parsed.error.c_str());
      return 2;
    case ParsedArgs::Action::Run:
      break;
  }
  const Options& options = parsed.options;

  // Writes to a socket the peer reset must fail with EPIPE, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  raise_descriptor_limit();

  boost::asio::io_context io(1);
  Server server(io, options);
  std::string error;
  if (!server.listen(&error)) {
    std::fprintf(stderr, "wasmrtc-gateway: cannot listen on %s: %s\n", options.listen.to_string().c_str(),
                 error.c_str());
    return 1;
  }

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_event(std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT"));
    // Back to the default action: a second signal ends the process at once.
    boost::system::error_code ignored;
    signals.clear(ignored);
    server.stop();
  });

  // The one line on stdout, for whoever started us (tests read the port here).
  std::printf("listening on %s\n", server.local_address().c_str());
  std::fflush(stdout);
  server.start();

  for (;;) {
    try {
      io.run();
      break;
    } catch (const std::exception& e) {
      // Handlers use error codes; this is a bug, but one connection's bug
      // must not take the others down.
      log_event(std::string("error: ") + e.what());
    }
  }
  log_event("stopped");
  return 0;
}
