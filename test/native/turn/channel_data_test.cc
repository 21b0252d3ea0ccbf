#include "turn/channel_data.h"

#include <gtest/gtest.h>

namespace wasmrtc::turn {
namespace {

// RFC 8656 section 12.4: number, length, data.
TEST(TurnChannelData, EncodeDatagramHasNoPadding) {
  auto b = encode_channel_data(0x4000, base::Bytes{0xaa, 0xbb, 0xcc}, false);
  EXPECT_EQ(b, (base::Bytes{0x40, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc}));
}

// Section 12.5: over streams padded to 4, padding not in the length.
TEST(TurnChannelData, EncodeStreamPadsToFour) {
  auto b = encode_channel_data(0x4FFF, base::Bytes{0xaa, 0xbb, 0xcc}, true);
  EXPECT_EQ(b, (base::Bytes{0x4F, 0xFF, 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0x00}));
  EXPECT_EQ(encode_channel_data(0x4000, base::Bytes{1, 2, 3, 4}, true).size(), 8u);
  EXPECT_EQ(encode_channel_data(0x4000, base::Bytes{}, true).size(), 4u);
}

TEST(TurnChannelData, PaddedSize) {
  EXPECT_EQ(padded_channel_data_size(0), 4u);
  EXPECT_EQ(padded_channel_data_size(1), 8u);
  EXPECT_EQ(padded_channel_data_size(4), 8u);
  EXPECT_EQ(padded_channel_data_size(65535), 65540u);
}

TEST(TurnChannelData, DecodeWithAndWithoutPadding) {
  for (bool pad : {false, true}) {
    auto b = encode_channel_data(0x4123, base::Bytes{9, 8, 7, 6, 5}, pad);
    auto d = decode_channel_data(b);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->channel, 0x4123);
    EXPECT_EQ(base::Bytes(d->data.begin(), d->data.end()), (base::Bytes{9, 8, 7, 6, 5}));
  }
  // Zero length is valid (section 12.4).
  auto empty = decode_channel_data(base::Bytes{0x40, 0x00, 0x00, 0x00});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->data.empty());
}

// Section 12.6: too short for the claimed length, or a reserved number: discard.
TEST(TurnChannelData, DecodeRejects) {
  EXPECT_EQ(decode_channel_data(base::Bytes{0x40, 0x00, 0x00}).error(),
            ChannelDataError::Truncated);
  EXPECT_EQ(decode_channel_data(base::Bytes{0x40, 0x00, 0x00, 0x05, 1, 2}).error(),
            ChannelDataError::Truncated);
  EXPECT_EQ(decode_channel_data(base::Bytes{0x50, 0x00, 0x00, 0x00}).error(),
            ChannelDataError::BadChannel);
  EXPECT_EQ(decode_channel_data(base::Bytes{0x3F, 0xFF, 0x00, 0x00}).error(),
            ChannelDataError::BadChannel);
  EXPECT_EQ(decode_channel_data(base::Bytes{0x40, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0}).error(),
            ChannelDataError::TrailingBytes);
  EXPECT_STRNE(to_string(ChannelDataError::Truncated), "");
}

// RFC 7983 / section 12 table 3: 64..79 is TURN channel data.
TEST(TurnChannelData, FirstByteRange) {
  EXPECT_FALSE(is_channel_data_first_byte(0x3F));
  EXPECT_TRUE(is_channel_data_first_byte(0x40));
  EXPECT_TRUE(is_channel_data_first_byte(0x4F));
  EXPECT_FALSE(is_channel_data_first_byte(0x50));
}

}  // namespace
}  // namespace wasmrtc::turn
