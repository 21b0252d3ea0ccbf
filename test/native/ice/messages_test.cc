// One agent fed hand-made datagrams: how it answers check requests
// (RFC 8445 section 7.3, RFC 8489 section 9.1.3), role conflicts (7.3.1.1),
// peer-reflexive learning (7.3.1.3) and demultiplexing (RFC 7983).
#include <gtest/gtest.h>

#include "ice/agent.h"
#include "stun/address_attributes.h"
#include "stun/attributes.h"
#include "stun/credentials.h"
#include "stun/integrity.h"
#include "stun/parse.h"
#include "stun/serialize.h"

namespace wasmrtc::ice {
namespace {

using base::SocketAddress;
using base::Timestamp;

const SocketAddress kLocal = *SocketAddress::parse("10.0.0.1:5000");
const SocketAddress kPeer = *SocketAddress::parse("10.0.0.2:6000");
const Credentials kOurs{"ours", "our-password-0123456789"};
const Credentials kTheirs{"them", "their-password-012345678"};

struct RequestSpec {
  std::optional<std::string> username = std::string("ours:them");
  std::optional<std::string> key = kOurs.pwd;  // MESSAGE-INTEGRITY key
  bool fingerprint = true;
  std::optional<uint32_t> priority = 1862270975u;
  std::optional<uint64_t> controlling;
  std::optional<uint64_t> controlled = 5;
  bool use_candidate = false;
  std::optional<uint16_t> unknown_attribute;
};

base::Bytes request(const RequestSpec& s, uint8_t id_byte = 1) {
  stun::TransactionId id{};
  id.fill(id_byte);
  stun::Message m(stun::MessageClass::Request, stun::method::kBinding, id);
  if (s.username) stun::add_username(m, *s.username);
  if (s.priority) stun::add_priority(m, *s.priority);
  if (s.controlling) stun::add_ice_controlling(m, *s.controlling);
  if (s.controlled) stun::add_ice_controlled(m, *s.controlled);
  if (s.use_candidate) stun::add_use_candidate(m);
  if (s.unknown_attribute) m.add(*s.unknown_attribute, base::Bytes{1, 2, 3, 4});
  stun::SerializeOptions o;
  if (s.key) o.message_integrity_key = stun::short_term_key(*s.key);
  o.fingerprint = s.fingerprint;
  return *stun::serialize(m, o);
}

class OneAgent : public ::testing::Test {
 protected:
  OneAgent() : random_(5) {
    Config c;
    c.role = Role::Controlling;
    c.local = kOurs;
    agent_ = std::make_unique<Agent>(c, random_);
    agent_->add_host_socket(1, kLocal);
    agent_->gather(now_);
    agent_->set_remote_credentials(kTheirs);
    drain();
  }

  std::vector<Output> drain() {
    std::vector<Output> out;
    while (auto o = agent_->poll_output()) out.push_back(std::move(*o));
    return out;
  }

  // Feeds `bytes` from the peer, returns the single STUN answer, if any.
  std::optional<stun::Message> answer(const base::Bytes& bytes, base::Bytes* raw = nullptr) {
    agent_->handle_datagram(now_, 1, kPeer, bytes);
    std::optional<stun::Message> reply;
    for (Output& o : drain()) {
      if (auto* t = std::get_if<Transmit>(&o)) {
        if (t->destination != kPeer) continue;
        auto m = stun::parse(t->data);
        if (!m || m->message_class == stun::MessageClass::Request) continue;
        EXPECT_FALSE(reply) << "more than one answer";
        reply = *m;
        if (raw) *raw = t->data;
      } else if (auto* r = std::get_if<RoleChanged>(&o)) {
        roles_.push_back(r->role);
      } else if (auto* d = std::get_if<Data>(&o)) {
        data_.push_back(d->data);
      }
    }
    return reply;
  }

  static uint16_t code(const stun::Message& m) {
    auto e = stun::error_code_of(m);
    return e ? e->code : 0;
  }

  base::SeededRandom random_;
  Timestamp now_ = Timestamp::from_millis(1000);
  std::unique_ptr<Agent> agent_;
  std::vector<Role> roles_;
  std::vector<base::Bytes> data_;
};

TEST_F(OneAgent, AnswersAValidCheck) {
  base::Bytes raw;
  auto r = answer(request({}), &raw);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message_class, stun::MessageClass::SuccessResponse);
  auto mapped = stun::xor_mapped_address(*r);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(*mapped, kPeer);  // 7.3.1.2
  EXPECT_TRUE(stun::check_message_integrity(raw, stun::short_term_key(kOurs.pwd)).ok());
  EXPECT_TRUE(stun::check_fingerprint(raw).ok());
  // 7.3.1.3: the unknown source is now a peer-reflexive remote candidate
  // with the request's PRIORITY.
  auto remotes = agent_->remote_candidates();
  ASSERT_EQ(remotes.size(), 1u);
  EXPECT_EQ(remotes[0].type, CandidateType::PeerReflexive);
  EXPECT_EQ(remotes[0].address, kPeer);
  EXPECT_EQ(remotes[0].priority, 1862270975u);
  // ... and a triggered check goes back to it (7.3.1.4) on the next tick.
  agent_->handle_timeout(now_);
  bool checked = false;
  for (Output& o : drain()) {
    if (auto* t = std::get_if<Transmit>(&o)) {
      auto m = stun::parse(t->data);
      if (m && m->message_class == stun::MessageClass::Request && t->destination == kPeer) {
        checked = true;
        EXPECT_EQ(*stun::username(*m), "them:ours");  // 7.2.2: RFRAG:LFRAG
        EXPECT_TRUE(stun::ice_controlling(*m).ok());
        EXPECT_TRUE(stun::priority(*m).ok());
        EXPECT_TRUE(stun::check_message_integrity(t->data, stun::short_term_key(kTheirs.pwd)).ok());
      }
    }
  }
  EXPECT_TRUE(checked);
}

TEST_F(OneAgent, BadRequestsAreRejected) {
  RequestSpec no_integrity;
  no_integrity.key.reset();
  auto r = answer(request(no_integrity));
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 400);
  EXPECT_FALSE(r->has(stun::attr::kMessageIntegrity));

  RequestSpec no_username;
  no_username.username.reset();
  r = answer(request(no_username));
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 400);

  RequestSpec wrong_ufrag;
  wrong_ufrag.username = "other:them";
  r = answer(request(wrong_ufrag));
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 401);

  RequestSpec wrong_key;
  wrong_key.key = "guessed-password-000000";
  r = answer(request(wrong_key));
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 401);

  RequestSpec no_priority;
  no_priority.priority.reset();
  r = answer(request(no_priority));
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 400);

  RequestSpec unknown;
  unknown.unknown_attribute = 0x7F01;
  base::Bytes raw;
  r = answer(request(unknown), &raw);
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 420);
  auto listed = stun::unknown_attributes(*r);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, std::vector<uint16_t>{0x7F01});
  EXPECT_TRUE(stun::check_message_integrity(raw, stun::short_term_key(kOurs.pwd)).ok());

  // No FINGERPRINT: not an ICE check, dropped without an answer.
  RequestSpec no_fingerprint;
  no_fingerprint.fingerprint = false;
  EXPECT_FALSE(answer(request(no_fingerprint)));
  // None of these taught the agent anything.
  EXPECT_TRUE(agent_->remote_candidates().empty());
}

TEST_F(OneAgent, RoleConflictWeKeepControl) {
  // Both controlling; our tie-breaker is >= 0, so the peer gets 487 (7.3.1.1).
  RequestSpec s;
  s.controlled.reset();
  s.controlling = 0;
  base::Bytes raw;
  auto r = answer(request(s), &raw);
  ASSERT_TRUE(r);
  EXPECT_EQ(code(*r), 487);
  EXPECT_TRUE(stun::check_message_integrity(raw, stun::short_term_key(kOurs.pwd)).ok());
  EXPECT_EQ(agent_->role(), Role::Controlling);
  EXPECT_TRUE(roles_.empty());
}

TEST_F(OneAgent, RoleConflictWeYield) {
  RequestSpec s;
  s.controlled.reset();
  s.controlling = UINT64_MAX;
  auto r = answer(request(s));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message_class, stun::MessageClass::SuccessResponse);
  EXPECT_EQ(agent_->role(), Role::Controlled);
  EXPECT_EQ(roles_, std::vector<Role>{Role::Controlled});
}

TEST_F(OneAgent, Demultiplexing) {
  // Non-STUN from a stranger: dropped.
  agent_->handle_datagram(now_, 1, kPeer, base::Bytes{23, 1, 2, 3});
  EXPECT_TRUE(drain().empty());
  // Once the address is a remote candidate, it is the layer above's.
  auto c = Candidate::parse("candidate:1 1 udp 2130706431 10.0.0.2 6000 typ host");
  ASSERT_TRUE(agent_->add_remote_candidate(now_, *c).ok());
  drain();
  answer(base::Bytes{23, 1, 2, 3});
  ASSERT_EQ(data_.size(), 1u);
  EXPECT_EQ(data_[0], (base::Bytes{23, 1, 2, 3}));
  // A first byte of 0..3 that is not STUN is dropped (RFC 7983).
  answer(base::Bytes{0, 1, 2, 3, 4, 5});
  EXPECT_EQ(data_.size(), 1u);
  // Unknown sockets are ignored.
  agent_->handle_datagram(now_, 99, kPeer, request({}));
  EXPECT_TRUE(drain().empty());
  // A response nobody asked for is ignored too.
  stun::TransactionId id{};
  stun::Message m(stun::MessageClass::SuccessResponse, stun::method::kBinding, id);
  stun::add_xor_mapped_address(m, kLocal);
  stun::SerializeOptions o;
  o.message_integrity_key = stun::short_term_key(kTheirs.pwd);
  o.fingerprint = true;
  EXPECT_FALSE(answer(*stun::serialize(m, o)));
}

TEST_F(OneAgent, ForgedResponseDoesNotEndTheCheck) {
  auto c = Candidate::parse("candidate:1 1 udp 2130706431 10.0.0.2 6000 typ host");
  ASSERT_TRUE(agent_->add_remote_candidate(now_, *c).ok());
  agent_->handle_timeout(now_);
  std::optional<stun::Message> check;
  for (Output& o : drain()) {
    if (auto* t = std::get_if<Transmit>(&o)) {
      auto m = stun::parse(t->data);
      if (m && m->message_class == stun::MessageClass::Request) check = *m;
    }
  }
  ASSERT_TRUE(check);
  // A response signed with the wrong password is ignored (7.2.5).
  stun::Message forged(stun::MessageClass::SuccessResponse, stun::method::kBinding,
                       check->transaction_id);
  stun::add_xor_mapped_address(forged, kLocal);
  stun::SerializeOptions o;
  o.message_integrity_key = stun::short_term_key("not-their-password-0000");
  o.fingerprint = true;
  answer(*stun::serialize(forged, o));
  EXPECT_EQ(agent_->pair_stats().at(0).state, "in-progress");
  // The genuine one makes the pair succeed.
  o.message_integrity_key = stun::short_term_key(kTheirs.pwd);
  answer(*stun::serialize(forged, o));
  EXPECT_EQ(agent_->pair_stats().at(0).state, "succeeded");
  EXPECT_EQ(agent_->pair_stats().at(0).responses_received, 1u);
}

}  // namespace
}  // namespace wasmrtc::ice
