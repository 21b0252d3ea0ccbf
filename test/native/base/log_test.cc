#include "base/log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmrtc::base {
namespace {

struct Captured {
  std::vector<std::string> lines;
};

void capture(void* user, LogLevel level, std::string_view tag, std::string_view message) {
  auto* c = static_cast<Captured*>(user);
  c->lines.push_back(std::string(to_string(level)) + " " + std::string(tag) + " " +
                     std::string(message));
}

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    set_log_sink(nullptr);
    set_log_level(LogLevel::Info);
  }
};

TEST_F(LogTest, NoSinkMeansDisabled) {
  set_log_sink(nullptr);
  EXPECT_FALSE(log_enabled(LogLevel::Error));
  int evaluated = 0;
  auto count = [&] { return ++evaluated; };
  WASMRTC_LOG(LogLevel::Error, "t") << count();
  EXPECT_EQ(evaluated, 0);
}

TEST_F(LogTest, FiltersByLevelWithoutEvaluatingArguments) {
  Captured c;
  set_log_sink(&capture, &c);
  set_log_level(LogLevel::Info);
  int evaluated = 0;
  auto count = [&] { return ++evaluated; };
  WASMRTC_LOG(LogLevel::Debug, "stun") << "hidden " << count();
  WASMRTC_LOG(LogLevel::Warn, "stun") << "shown " << 42;
  EXPECT_EQ(evaluated, 0);
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0], "warn stun shown 42");

  set_log_level(LogLevel::Trace);
  EXPECT_TRUE(log_enabled(LogLevel::Trace));
  WASMRTC_LOG(LogLevel::Trace, "ice") << "deep";
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[1], "trace ice deep");
  EXPECT_EQ(log_level(), LogLevel::Trace);
}

TEST_F(LogTest, MacroIsOneStatement) {
  Captured c;
  set_log_sink(&capture, &c);
  bool flag = false;
  if (flag)
    WASMRTC_LOG(LogLevel::Error, "t") << "not this";
  else
    c.lines.push_back("else branch");
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0], "else branch");
}

TEST_F(LogTest, StderrSinkIsCallable) {
  set_log_sink(&stderr_log_sink);
  WASMRTC_LOG(LogLevel::Info, "base") << "stderr sink works";
  EXPECT_STREQ(to_string(LogLevel::Error), "error");
}

}  // namespace
}  // namespace wasmrtc::base
