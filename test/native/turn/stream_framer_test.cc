#include "turn/stream_framer.h"

#include <gtest/gtest.h>

#include "base/random.h"
#include "stun/attributes.h"
#include "stun/serialize.h"
#include "turn/attributes.h"
#include "turn/channel_data.h"

namespace wasmrtc::turn {
namespace {

base::Bytes stun_message(uint8_t seed, size_t data_size) {
  stun::TransactionId id{};
  id.fill(seed);
  stun::Message m(stun::MessageClass::Indication, stun::method::kData, id);
  add_data(m, base::Bytes(data_size, seed));
  return stun::serialize(m).value();
}

struct Stream {
  base::Bytes bytes;
  std::vector<Frame> expected;

  void add_stun(uint8_t seed, size_t data_size) {
    base::Bytes m = stun_message(seed, data_size);
    bytes.insert(bytes.end(), m.begin(), m.end());
    expected.push_back(Frame{FrameKind::Stun, m});
  }
  void add_channel_data(uint16_t channel, size_t size) {
    base::Bytes data(size, static_cast<uint8_t>(size));
    base::Bytes padded = encode_channel_data(channel, data, true);
    bytes.insert(bytes.end(), padded.begin(), padded.end());
    expected.push_back(Frame{FrameKind::ChannelData, encode_channel_data(channel, data, false)});
  }
};

Stream mixed() {
  Stream s;
  s.add_stun(1, 0);
  s.add_channel_data(0x4000, 0);
  s.add_channel_data(0x4001, 1);
  s.add_stun(2, 7);
  s.add_channel_data(0x4FFF, 5);
  s.add_channel_data(0x4002, 8);
  s.add_stun(3, 100);
  return s;
}

void expect_frames(const std::vector<Frame>& got, const std::vector<Frame>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].kind, want[i].kind) << i;
    EXPECT_EQ(got[i].bytes, want[i].bytes) << i;
  }
}

TEST(TurnStreamFramer, WholeStreamInOneChunk) {
  Stream s = mixed();
  StreamFramer f;
  std::vector<Frame> out;
  ASSERT_TRUE(f.push(s.bytes, out).ok());
  expect_frames(out, s.expected);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(TurnStreamFramer, OneByteAtATime) {
  Stream s = mixed();
  StreamFramer f;
  std::vector<Frame> out;
  for (uint8_t b : s.bytes) ASSERT_TRUE(f.push(base::ByteView(&b, 1), out).ok());
  expect_frames(out, s.expected);
  EXPECT_EQ(f.buffered(), 0u);
}

// Every way of cutting the stream in two, then random cuts.
TEST(TurnStreamFramer, ArbitrarySplits) {
  Stream s = mixed();
  const base::ByteView all(s.bytes);
  for (size_t cut = 0; cut <= all.size(); ++cut) {
    StreamFramer f;
    std::vector<Frame> out;
    ASSERT_TRUE(f.push(all.first(cut), out).ok());
    ASSERT_TRUE(f.push(all.subspan(cut), out).ok());
    expect_frames(out, s.expected);
  }
  base::SeededRandom random(99);
  for (int round = 0; round < 200; ++round) {
    StreamFramer f;
    std::vector<Frame> out;
    size_t pos = 0;
    while (pos < all.size()) {
      const size_t n = std::min<size_t>(all.size() - pos, 1 + random.uniform(40));
      ASSERT_TRUE(f.push(all.subspan(pos, n), out).ok());
      pos += n;
    }
    expect_frames(out, s.expected);
  }
}

TEST(TurnStreamFramer, EmptyChunksAreHarmless) {
  StreamFramer f;
  std::vector<Frame> out;
  EXPECT_TRUE(f.push(base::ByteView(), out).ok());
  EXPECT_TRUE(out.empty());
}

// A ChannelData with length 0 is 4 bytes; the next message follows at once.
TEST(TurnStreamFramer, ZeroLengthChannelDataSplitInHeader) {
  Stream s;
  s.add_channel_data(0x4000, 0);
  s.add_stun(9, 3);
  StreamFramer f;
  std::vector<Frame> out;
  ASSERT_TRUE(f.push(base::ByteView(s.bytes).first(2), out).ok());
  ASSERT_TRUE(f.push(base::ByteView(s.bytes).subspan(2), out).ok());
  expect_frames(out, s.expected);
}

// RFC 8656 section 12, table 3: other first bytes cannot start a message.
TEST(TurnStreamFramer, GarbageBreaksTheStreamForGood) {
  Stream s;
  s.add_stun(1, 4);
  base::Bytes input = s.bytes;
  input.push_back(0x80);  // RTP-like: not TURN
  input.insert(input.end(), s.bytes.begin(), s.bytes.end());
  StreamFramer f;
  std::vector<Frame> out;
  auto r = f.push(input, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), FramingError::UnknownFirstByte);
  // What came before the bad boundary is still delivered.
  expect_frames(out, s.expected);
  out.clear();
  auto again = f.push(s.bytes, out);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), FramingError::UnknownFirstByte);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(f.error(), FramingError::UnknownFirstByte);
  EXPECT_EQ(f.buffered(), 0u);
}

// Table 3 again: 4..63 (ZRTP, DTLS) is not STUN even though its top two
// bits are zero.
TEST(TurnStreamFramer, OnlyZeroToThreeStartsStun) {
  base::Bytes m = stun_message(1, 4);
  m[0] = 0x14;
  StreamFramer f;
  std::vector<Frame> out;
  EXPECT_EQ(f.push(m, out).error(), FramingError::UnknownFirstByte);
}

TEST(TurnStreamFramer, BadCookieAndLength) {
  base::Bytes m = stun_message(1, 4);
  m[5] ^= 0xff;
  {
    StreamFramer f;
    std::vector<Frame> out;
    // Not decidable before the cookie is in.
    ASSERT_TRUE(f.push(base::ByteView(m).first(7), out).ok());
    EXPECT_EQ(f.push(base::ByteView(m).subspan(7), out).error(), FramingError::BadMagicCookie);
  }
  base::Bytes odd = stun_message(1, 4);
  odd[3] = 0x0a;  // length 10
  StreamFramer f;
  std::vector<Frame> out;
  EXPECT_EQ(f.push(odd, out).error(), FramingError::BadStunLength);
}

// Memory stays bounded: a header announcing more than the limit is an
// error, not a reason to buffer.
TEST(TurnStreamFramer, LimitBoundsTheBuffer) {
  StreamFramer f(64);
  std::vector<Frame> out;
  base::Bytes big = encode_channel_data(0x4000, base::Bytes(100, 1), true);
  auto r = f.push(base::ByteView(big).first(10), out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), FramingError::FrameTooLarge);
  EXPECT_EQ(f.buffered(), 0u);

  StreamFramer largest;
  base::Bytes max = encode_channel_data(0x4000, base::Bytes(65535, 2), true);
  ASSERT_TRUE(largest.push(base::ByteView(max).first(65000), out).ok());
  EXPECT_LT(largest.buffered(), StreamFramer::kMaxFrameSize);
  ASSERT_TRUE(largest.push(base::ByteView(max).subspan(65000), out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes.size(), 4u + 65535);
  EXPECT_STRNE(to_string(FramingError::FrameTooLarge), "");
}

}  // namespace
}  // namespace wasmrtc::turn
