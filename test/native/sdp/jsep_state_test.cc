// The signaling state machine (webrtc-pc "set the RTCSessionDescription",
// RFC 8829 section 3.2): every description type through both methods from
// every state, with the resulting state or the W3C error name.
#include <gtest/gtest.h>

#include "support.h"

namespace wasmrtc::sdp {
namespace {

using test::Peer;
using S = SignalingState;

enum class Method { Local, Remote };

struct Transition {
  S from;
  Method method;
  SdpType type;
  std::optional<S> to;  // nullopt: rejected with InvalidStateError
};

void PrintTo(const Transition& t, std::ostream* os) {
  *os << to_string(t.from) << (t.method == Method::Local ? " SLD(" : " SRD(") << to_string(t.type) << ") -> "
      << (t.to ? to_string(*t.to) : "InvalidStateError");
}

// Drives `a` into `state`, with `b` as the other peer.
void enter(S state, Peer& a, Peer& b) {
  a->set_data_channels_wanted(true);
  b->set_data_channels_wanted(true);
  switch (state) {
    case S::Stable: break;
    case S::HaveLocalOffer: ASSERT_JSEP_OK(a->set_local_description()); break;
    case S::HaveRemoteOffer:
      ASSERT_JSEP_OK(b->set_local_description());
      ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, b.local_sdp()));
      break;
    case S::HaveLocalPranswer:
      ASSERT_JSEP_OK(b->set_local_description());
      ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, b.local_sdp()));
      ASSERT_JSEP_OK(a->set_local_description(SdpType::Pranswer));
      break;
    case S::HaveRemotePranswer:
      ASSERT_JSEP_OK(a->set_local_description());
      ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
      ASSERT_JSEP_OK(b->set_local_description(SdpType::Pranswer));
      ASSERT_JSEP_OK(a->set_remote_description(SdpType::Pranswer, b.local_sdp()));
      break;
    case S::Closed: a->close(); break;
  }
  ASSERT_EQ(a->signaling_state(), state);
}

// Text that is valid for the call whenever the state allows it.
std::string remote_text(SdpType type, Peer& a, Peer& b) {
  if (type == SdpType::Rollback) return "";
  if (type == SdpType::Offer) {
    Peer c(99, 'C');
    c->set_data_channels_wanted(true);
    return c->create_offer().value();
  }
  if (a->signaling_state() == S::HaveRemotePranswer) return b->create_answer().value();
  if (a->signaling_state() == S::HaveLocalOffer) {
    Peer d(98, 'D');
    EXPECT_TRUE(d->set_remote_description(SdpType::Offer, a.local_sdp()).ok());
    return d->create_answer().value();
  }
  return test::load_sdp("wrtc-m105-answer.sdp");  // refused before it is read
}

const Transition kTable[] = {
    // stable
    {S::Stable, Method::Local, SdpType::Offer, S::HaveLocalOffer},
    {S::Stable, Method::Local, SdpType::Pranswer, std::nullopt},
    {S::Stable, Method::Local, SdpType::Answer, std::nullopt},
    {S::Stable, Method::Local, SdpType::Rollback, std::nullopt},
    {S::Stable, Method::Remote, SdpType::Offer, S::HaveRemoteOffer},
    {S::Stable, Method::Remote, SdpType::Pranswer, std::nullopt},
    {S::Stable, Method::Remote, SdpType::Answer, std::nullopt},
    {S::Stable, Method::Remote, SdpType::Rollback, std::nullopt},
    // have-local-offer
    {S::HaveLocalOffer, Method::Local, SdpType::Offer, S::HaveLocalOffer},
    {S::HaveLocalOffer, Method::Local, SdpType::Pranswer, std::nullopt},
    {S::HaveLocalOffer, Method::Local, SdpType::Answer, std::nullopt},
    {S::HaveLocalOffer, Method::Local, SdpType::Rollback, S::Stable},
    {S::HaveLocalOffer, Method::Remote, SdpType::Offer, S::HaveRemoteOffer},  // implicit rollback
    {S::HaveLocalOffer, Method::Remote, SdpType::Pranswer, S::HaveRemotePranswer},
    {S::HaveLocalOffer, Method::Remote, SdpType::Answer, S::Stable},
    {S::HaveLocalOffer, Method::Remote, SdpType::Rollback, S::Stable},
    // have-remote-offer
    {S::HaveRemoteOffer, Method::Local, SdpType::Offer, std::nullopt},
    {S::HaveRemoteOffer, Method::Local, SdpType::Pranswer, S::HaveLocalPranswer},
    {S::HaveRemoteOffer, Method::Local, SdpType::Answer, S::Stable},
    {S::HaveRemoteOffer, Method::Local, SdpType::Rollback, S::Stable},
    {S::HaveRemoteOffer, Method::Remote, SdpType::Offer, S::HaveRemoteOffer},
    {S::HaveRemoteOffer, Method::Remote, SdpType::Pranswer, std::nullopt},
    {S::HaveRemoteOffer, Method::Remote, SdpType::Answer, std::nullopt},
    {S::HaveRemoteOffer, Method::Remote, SdpType::Rollback, S::Stable},
    // have-local-pranswer
    {S::HaveLocalPranswer, Method::Local, SdpType::Offer, std::nullopt},
    {S::HaveLocalPranswer, Method::Local, SdpType::Pranswer, S::HaveLocalPranswer},
    {S::HaveLocalPranswer, Method::Local, SdpType::Answer, S::Stable},
    {S::HaveLocalPranswer, Method::Local, SdpType::Rollback, std::nullopt},
    {S::HaveLocalPranswer, Method::Remote, SdpType::Offer, std::nullopt},
    {S::HaveLocalPranswer, Method::Remote, SdpType::Pranswer, std::nullopt},
    {S::HaveLocalPranswer, Method::Remote, SdpType::Answer, std::nullopt},
    {S::HaveLocalPranswer, Method::Remote, SdpType::Rollback, std::nullopt},
    // have-remote-pranswer
    {S::HaveRemotePranswer, Method::Local, SdpType::Offer, std::nullopt},
    {S::HaveRemotePranswer, Method::Local, SdpType::Pranswer, std::nullopt},
    {S::HaveRemotePranswer, Method::Local, SdpType::Answer, std::nullopt},
    {S::HaveRemotePranswer, Method::Local, SdpType::Rollback, std::nullopt},
    {S::HaveRemotePranswer, Method::Remote, SdpType::Offer, std::nullopt},
    {S::HaveRemotePranswer, Method::Remote, SdpType::Pranswer, S::HaveRemotePranswer},
    {S::HaveRemotePranswer, Method::Remote, SdpType::Answer, S::Stable},
    {S::HaveRemotePranswer, Method::Remote, SdpType::Rollback, std::nullopt},
    // closed
    {S::Closed, Method::Local, SdpType::Offer, std::nullopt},
    {S::Closed, Method::Local, SdpType::Pranswer, std::nullopt},
    {S::Closed, Method::Local, SdpType::Answer, std::nullopt},
    {S::Closed, Method::Local, SdpType::Rollback, std::nullopt},
    {S::Closed, Method::Remote, SdpType::Offer, std::nullopt},
    {S::Closed, Method::Remote, SdpType::Pranswer, std::nullopt},
    {S::Closed, Method::Remote, SdpType::Answer, std::nullopt},
    {S::Closed, Method::Remote, SdpType::Rollback, std::nullopt},
};

class StateTable : public ::testing::TestWithParam<Transition> {};

TEST_P(StateTable, Transition) {
  const Transition& t = GetParam();
  Peer a(1, 'A');
  Peer b(2, 'B');
  enter(t.from, a, b);
  JsepResult<void> r = JsepResult<void>();
  if (t.method == Method::Local) {
    r = a->set_local_description(t.type);  // empty text: the created description
  } else {
    r = a->set_remote_description(t.type, remote_text(t.type, a, b));
  }
  if (t.to) {
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(a->signaling_state(), *t.to);
  } else {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().dom_exception_name(), "InvalidStateError") << r.error().to_string();
    EXPECT_EQ(a->signaling_state(), t.from);  // a refused call changes nothing
  }
}

std::string transition_name(const ::testing::TestParamInfo<Transition>& info) {
  std::string n = std::string(to_string(info.param.from)) + "_" +
                  (info.param.method == Method::Local ? "SLD_" : "SRD_") + std::string(to_string(info.param.type));
  for (auto& c : n) {
    if (c == '-') c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Jsep, StateTable, ::testing::ValuesIn(kTable), transition_name);

TEST(StateTable, DescriptionsAfterEachStep) {
  Peer a(1);
  Peer b(2, 'B');
  a->set_data_channels_wanted(true);
  EXPECT_FALSE(a->local_description().has_value());
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_TRUE(a->pending_local_description().has_value());
  EXPECT_FALSE(a->current_local_description().has_value());
  EXPECT_EQ(&*a->local_description(), &*a->pending_local_description());

  ASSERT_JSEP_OK(b->set_remote_description(SdpType::Offer, a.local_sdp()));
  EXPECT_TRUE(b->pending_remote_description().has_value());
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Pranswer));
  EXPECT_EQ(b->pending_local_description()->type, SdpType::Pranswer);
  ASSERT_JSEP_OK(b->set_local_description(SdpType::Answer));
  EXPECT_FALSE(b->pending_local_description().has_value());
  EXPECT_FALSE(b->pending_remote_description().has_value());
  EXPECT_EQ(b->current_local_description()->type, SdpType::Answer);
  EXPECT_EQ(b->current_remote_description()->type, SdpType::Offer);

  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Answer, b.local_sdp()));
  EXPECT_EQ(a->current_local_description()->type, SdpType::Offer);
  EXPECT_EQ(a->current_remote_description()->type, SdpType::Answer);
  EXPECT_FALSE(a->pending_local_description().has_value());
}

TEST(StateTable, CreateAnswerOnlyWithARemoteOffer) {
  Peer a(1);
  EXPECT_JSEP_ERROR(a->create_answer(), JsepErrorCode::WrongState);
  EXPECT_EQ(a->create_answer().error().dom_exception_name(), "InvalidStateError");
  a->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_JSEP_ERROR(a->create_answer(), JsepErrorCode::WrongState);
}

TEST(StateTable, ClosedRefusesEverything) {
  Peer a(1);
  a->close();
  EXPECT_JSEP_ERROR(a->create_offer(), JsepErrorCode::Closed);
  EXPECT_JSEP_ERROR(a->create_answer(), JsepErrorCode::Closed);
  EXPECT_JSEP_ERROR(a->set_local_description(), JsepErrorCode::Closed);
  EXPECT_JSEP_ERROR(a->set_remote_description(SdpType::Offer, ""), JsepErrorCode::Closed);
  EXPECT_JSEP_ERROR(a->add_remote_candidate("", {}), JsepErrorCode::Closed);
  EXPECT_JSEP_ERROR(a->add_local_candidate("candidate:1 1 udp 1 1.2.3.4 5 typ host"), JsepErrorCode::Closed);
  EXPECT_EQ(dom_exception_name(JsepErrorCode::Closed), "InvalidStateError");
}

TEST(StateTable, ImplicitTypeFollowsState) {
  // webrtc-pc setLocalDescription(): offer in stable / have-local-offer,
  // answer in have-remote-offer / have-local-pranswer.
  Peer a(1);
  Peer b(2, 'B');
  b->set_data_channels_wanted(true);
  ASSERT_JSEP_OK(b->set_local_description());
  EXPECT_EQ(b->local_description()->type, SdpType::Offer);
  ASSERT_JSEP_OK(b->set_local_description());  // again: a new offer, still have-local-offer
  EXPECT_EQ(b->signaling_state(), S::HaveLocalOffer);
  ASSERT_JSEP_OK(a->set_remote_description(SdpType::Offer, b.local_sdp()));
  ASSERT_JSEP_OK(a->set_local_description(SdpType::Pranswer));
  ASSERT_JSEP_OK(a->set_local_description());
  EXPECT_EQ(a->local_description()->type, SdpType::Answer);
  EXPECT_EQ(a->signaling_state(), S::Stable);
}

TEST(StateTable, EveryErrorCodeHasNames) {
  for (int c = 0; c <= static_cast<int>(JsepErrorCode::MissingMidAndIndex); ++c) {
    auto code = static_cast<JsepErrorCode>(c);
    EXPECT_NE(to_string(code), "Unknown");
    const auto name = dom_exception_name(code);
    EXPECT_TRUE(name == "InvalidStateError" || name == "OperationError" || name == "InvalidAccessError" ||
                name == "InvalidModificationError" || name == "TypeError")
        << name;
  }
}

}  // namespace
}  // namespace wasmrtc::sdp
