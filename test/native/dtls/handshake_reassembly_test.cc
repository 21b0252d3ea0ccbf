#include "dtls/handshake_reassembly.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dtls_test_support.h"

namespace wasmrtc::dtls {
namespace {

using test::fragment_client_hello;
using test::load_data;

// A whole ClientHello record with `length` body bytes, message_seq `seq`.
Bytes whole_client_hello(size_t length, uint16_t seq = 0, uint64_t record_seq = 0) {
  base::ByteWriter w;
  w.u8(kHandshakeClientHello);
  w.u24(static_cast<uint32_t>(length));
  w.u16(seq);
  w.u24(0);
  w.u24(static_cast<uint32_t>(length));
  for (size_t i = 0; i < length; ++i) w.u8(static_cast<uint8_t>(i * 7 + seq));
  return make_record(kContentHandshake, 0xFEFD, 0, record_seq, w.view());
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Records, ParsesChromiumClientHelloFragments) {
  const Bytes f1 = load_data("chromium156-clienthello-frag1.bin");
  const Bytes f2 = load_data("chromium156-clienthello-frag2.bin");
  ASSERT_EQ(f1.size(), 1200u);
  ASSERT_EQ(f2.size(), 263u);
  auto r1 = parse_records(f1);
  ASSERT_EQ(r1.size(), 1u);
  EXPECT_EQ(r1[0].content_type, kContentHandshake);
  EXPECT_EQ(r1[0].version, 0xFEFF);
  EXPECT_EQ(r1[0].epoch, 0);
  EXPECT_EQ(r1[0].sequence, 0u);
  auto h1 = parse_handshake_fragment(r1[0].fragment).value();
  EXPECT_EQ(h1.msg_type, kHandshakeClientHello);
  EXPECT_EQ(h1.length, 1413u);
  EXPECT_EQ(h1.message_seq, 0);
  EXPECT_EQ(h1.fragment_offset, 0u);
  EXPECT_EQ(h1.body.size(), 1175u);
  EXPECT_FALSE(h1.is_whole());
  EXPECT_TRUE(is_client_hello_record(r1[0]));
  EXPECT_FALSE(is_whole_client_hello(r1[0]));
  auto r2 = parse_records(f2);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(r2[0].sequence, 1u);
  auto h2 = parse_handshake_fragment(r2[0].fragment).value();
  EXPECT_EQ(h2.fragment_offset, 1175u);
  EXPECT_EQ(h2.body.size(), 238u);
}

TEST(Records, StopsAtTheFirstMalformedRecord) {
  const Bytes ch = whole_client_hello(50);
  size_t consumed = 0;
  EXPECT_EQ(parse_records(concat({ch, ch}), &consumed).size(), 2u);
  EXPECT_EQ(consumed, 2 * ch.size());
  Bytes bad_type = ch;
  bad_type[0] = 24;
  EXPECT_EQ(parse_records(concat({ch, bad_type}), &consumed).size(), 1u);
  EXPECT_EQ(consumed, ch.size());
  Bytes bad_version = ch;
  bad_version[1] = 0x03;  // TLS, not DTLS
  EXPECT_TRUE(parse_records(bad_version).empty());
  Bytes short_record(ch.begin(), ch.end() - 1);
  EXPECT_TRUE(parse_records(short_record).empty());
  EXPECT_TRUE(parse_records(Bytes(12, 22)).empty());
  EXPECT_TRUE(parse_records({}).empty());
}

void expect_joined_chromium(const std::vector<Bytes>& out) {
  ASSERT_EQ(out.size(), 1u);
  auto recs = parse_records(out[0]);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(out[0].size(), 13u + 12 + 1413);
  EXPECT_TRUE(is_whole_client_hello(recs[0]));
  EXPECT_EQ(recs[0].version, 0xFEFF);
  EXPECT_EQ(recs[0].sequence, 0u);  // the record that carried offset 0
  auto hs = parse_handshake_fragment(recs[0].fragment).value();
  EXPECT_EQ(hs.length, 1413u);
  EXPECT_EQ(hs.message_seq, 0);
  // The body is the fragments' bodies back to back.
  const Bytes f1 = load_data("chromium156-clienthello-frag1.bin");
  const Bytes f2 = load_data("chromium156-clienthello-frag2.bin");
  Bytes expected(f1.begin() + 25, f1.end());
  expected.insert(expected.end(), f2.begin() + 25, f2.end());
  EXPECT_TRUE(std::equal(hs.body.begin(), hs.body.end(), expected.begin(), expected.end()));
}

TEST(ClientHelloJoiner, JoinsChromiumFragmentsInEitherOrder) {
  const Bytes f1 = load_data("chromium156-clienthello-frag1.bin");
  const Bytes f2 = load_data("chromium156-clienthello-frag2.bin");
  {
    ClientHelloJoiner j;
    EXPECT_TRUE(j.push(f1).empty());
    EXPECT_EQ(j.held_bytes(), 1413u);
    expect_joined_chromium(j.push(f2));
    EXPECT_EQ(j.held_bytes(), 0u);
    EXPECT_EQ(j.joined(), 1u);
  }
  {
    ClientHelloJoiner j;
    EXPECT_TRUE(j.push(f2).empty());
    expect_joined_chromium(j.push(f1));
  }
  {
    // Duplicates and retransmissions: join once per complete set.
    ClientHelloJoiner j;
    EXPECT_TRUE(j.push(f2).empty());
    EXPECT_TRUE(j.push(f2).empty());
    expect_joined_chromium(j.push(f1));
    EXPECT_TRUE(j.push(f1).empty());
    expect_joined_chromium(j.push(f2));
    EXPECT_EQ(j.joined(), 2u);
  }
  {
    // Both fragments in one datagram.
    ClientHelloJoiner j;
    expect_joined_chromium(j.push(concat({f2, f1})));
  }
}

TEST(ClientHelloJoiner, PassesEverythingElseThroughUnchanged) {
  ClientHelloJoiner j;
  const Bytes whole = whole_client_hello(300);
  auto out = j.push(whole);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], whole);

  Bytes app = make_record(kContentApplicationData, 0xFEFD, 1, 9, Bytes(40, 0xAA));
  Bytes ccs = make_record(kContentChangeCipherSpec, 0xFEFD, 0, 3, Bytes{1});
  Bytes flight = concat({ccs, app});
  out = j.push(flight);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], flight);
  EXPECT_EQ(j.joined(), 0u);
}

TEST(ClientHelloJoiner, JoinsSmallOverlappingAndOutOfOrderFragments) {
  const Bytes whole = whole_client_hello(1000, 1, 77);
  std::vector<Bytes> frags = fragment_client_hello(whole, 97);
  ASSERT_EQ(frags.size(), 11u);
  ClientHelloJoiner j;
  // Odd ones, then even ones backwards, with one repeated.
  std::vector<Bytes> out;
  for (size_t i = 1; i < frags.size(); i += 2) ASSERT_TRUE(j.push(frags[i]).empty());
  ASSERT_TRUE(j.push(frags[3]).empty());
  for (size_t i = frags.size() - 1; i >= 2; i -= 2) {
    if (i % 2 == 0) {
      ASSERT_TRUE(j.push(frags[i]).empty());
    }
  }
  out = j.push(frags[0]);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], whole);  // byte-identical to the unfragmented original

  // Overlapping fragments with equal bytes.
  const Bytes body(whole.begin() + 25, whole.end());
  auto frag = [&](size_t off, size_t len, uint64_t rseq) {
    base::ByteWriter w;
    w.u8(1);
    w.u24(1000);
    w.u16(1);
    w.u24(static_cast<uint32_t>(off));
    w.u24(static_cast<uint32_t>(len));
    w.bytes(ByteView(body).subspan(off, len));
    return make_record(kContentHandshake, 0xFEFD, 0, rseq, w.view());
  };
  ClientHelloJoiner k;
  EXPECT_TRUE(k.push(frag(500, 500, 80)).empty());
  EXPECT_TRUE(k.push(frag(100, 600, 81)).empty());
  out = k.push(frag(0, 200, 77));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], whole);
}

TEST(ClientHelloJoiner, DropsAndCountsGarbage) {
  const Bytes whole = whole_client_hello(400);
  std::vector<Bytes> frags = fragment_client_hello(whole, 150);
  ASSERT_EQ(frags.size(), 3u);
  ClientHelloJoiner j;

  EXPECT_TRUE(j.push(Bytes{1, 2, 3}).empty());
  EXPECT_EQ(j.dropped(JoinDrop::NotDtls), 1u);

  // Fragment claiming bytes beyond the message.
  Bytes beyond = frags[2];
  beyond[13 + 11] += 10;  // fragment_length low byte
  EXPECT_TRUE(j.push(beyond).empty());
  EXPECT_EQ(j.dropped(JoinDrop::Malformed), 1u);

  // message_seq 2 is no initial ClientHello.
  Bytes seq2 = frags[0];
  seq2[13 + 5] = 2;
  EXPECT_TRUE(j.push(seq2).empty());
  EXPECT_EQ(j.dropped(JoinDrop::UnexpectedMessageSeq), 1u);

  // Over the length limit.
  Bytes huge = frags[0];
  huge[13 + 1] = 0x7F;
  EXPECT_TRUE(j.push(huge).empty());
  EXPECT_EQ(j.dropped(JoinDrop::MessageTooLong), 1u);

  // Start a genuine message, then a conflicting overlap and a length mismatch.
  EXPECT_TRUE(j.push(frags[0]).empty());
  Bytes conflicting = frags[0];
  conflicting.back() ^= 0xFF;
  EXPECT_TRUE(j.push(conflicting).empty());
  EXPECT_EQ(j.dropped(JoinDrop::ConflictingOverlap), 1u);
  Bytes other_length = frags[1];
  other_length[13 + 3] += 1;
  EXPECT_TRUE(j.push(other_length).empty());
  EXPECT_EQ(j.dropped(JoinDrop::LengthMismatch), 1u);

  // Trailing bytes after the fragment inside its record.
  Bytes trailing = frags[1];
  trailing.push_back(0);
  trailing[12] += 1;  // record length
  EXPECT_TRUE(j.push(trailing).empty());
  EXPECT_EQ(j.dropped(JoinDrop::TrailingData), 1u);

  // Garbage after the last record of a datagram is cut off, counted.
  Bytes tail = frags[1];
  tail.push_back(0xEE);
  EXPECT_TRUE(j.push(tail).empty());
  EXPECT_EQ(j.dropped(JoinDrop::TrailingBytes), 1u);

  // The genuine message still completes, byte-identical; the conflicting
  // alternative, made after it, completes with it and comes first.
  auto out = j.push(frags[2]);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0], whole);
  EXPECT_EQ(out[1], whole);
  EXPECT_EQ(j.held_bytes(), 0u);
}

// Issue 14: a forged first fragment (another length, or conflicting
// bytes) is kept apart, and the genuine fragments that follow complete.
TEST(ClientHelloJoiner, ForgedFirstFragmentDoesNotBlockTheGenuineMessage) {
  const Bytes whole = whole_client_hello(300);
  const std::vector<Bytes> frags = fragment_client_hello(whole, 100);
  ASSERT_EQ(frags.size(), 3u);
  Bytes other_length = frags[0];
  other_length[13 + 3] += 1;
  Bytes other_bytes = frags[0];
  other_bytes.back() ^= 0xFF;
  for (const Bytes& forged : {other_length, other_bytes}) {
    ClientHelloJoiner j;
    EXPECT_TRUE(j.push(forged).empty());
    EXPECT_TRUE(j.push(frags[0]).empty());
    EXPECT_TRUE(j.push(frags[1]).empty());
    auto out = j.push(frags[2]);
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out[0], whole);  // the forgery came first: the genuine message is the newer
  }
  // A flood of disagreeing fragments keeps max_alternatives assemblies
  // per message_seq at most; the genuine one completes once its flight
  // comes through whole.
  ClientHelloJoiner j;
  for (int i = 0; i < 100; ++i) {
    Bytes f = frags[0];
    f.back() = static_cast<uint8_t>(i);
    if (f == frags[0]) continue;
    j.push(f);
  }
  EXPECT_LE(j.held_bytes(), ClientHelloJoiner::Limits{}.max_alternatives * 300u);
  j.push(frags[0]);
  j.push(frags[1]);
  auto out = j.push(frags[2]);
  EXPECT_NE(std::find(out.begin(), out.end(), whole), out.end());
}

TEST(ClientHelloJoiner, BoundsFragmentsPerMessage) {
  const Bytes whole = whole_client_hello(100);
  std::vector<Bytes> frags = fragment_client_hello(whole, 10);
  ClientHelloJoiner j(ClientHelloJoiner::Limits{1000, 5});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(j.push(frags[1]).empty());
  EXPECT_TRUE(j.push(frags[2]).empty());  // the sixth: the message is dropped
  EXPECT_EQ(j.dropped(JoinDrop::TooManyFragments), 1u);
  EXPECT_EQ(j.held_bytes(), 0u);
  // Memory: at most max_alternatives messages per message_seq (0 and 1).
  ClientHelloJoiner k;
  k.push(fragment_client_hello(whole_client_hello(5000, 0), 1000)[0]);
  k.push(fragment_client_hello(whole_client_hello(6000, 1), 1000)[0]);
  k.push(fragment_client_hello(whole_client_hello(7000, 1), 1000)[0]);  // another length: kept apart
  EXPECT_EQ(k.held_bytes(), 18000u);
  for (size_t n = 8000; n < 16000; n += 1000) k.push(fragment_client_hello(whole_client_hello(n, 1), 1000)[0]);
  EXPECT_LE(k.held_bytes(), 5000u + ClientHelloJoiner::Limits{}.max_alternatives * 16000u);
  k.clear();
  EXPECT_EQ(k.held_bytes(), 0u);
}

}  // namespace
}  // namespace wasmrtc::dtls
