#include "sip/parser.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

namespace {
std::string options(int n, std::string_view body = "")
{
    return "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: call-" + std::to_string(n) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}
} // namespace

TEST(StreamFramer, DeliversAMessageSplitAcrossManyReads)
{
    StreamFramer f;
    const std::string msg = options(1, "hello body");
    for (char c : msg) {
        EXPECT_FALSE(f.next()) << "early message";
        f.feed(std::string_view(&c, 1));
    }
    auto m = f.next();
    ASSERT_TRUE(m);
    ASSERT_TRUE(*m) << m->error().what;
    EXPECT_EQ((*m)->body(), "hello body");
    EXPECT_FALSE(f.next());
    EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, DeliversSeveralMessagesFromOneRead)
{
    StreamFramer f;
    f.feed(options(1) + options(2, "xy") + options(3));
    for (int i = 1; i <= 3; ++i) {
        auto m = f.next();
        ASSERT_TRUE(m && *m);
        EXPECT_EQ((*m)->callId(), "call-" + std::to_string(i));
    }
    EXPECT_FALSE(f.next());
}

TEST(StreamFramer, SkipsAndCountsCrlfKeepAlives)
{
    StreamFramer f;
    f.feed("\r\n\r\n");
    EXPECT_FALSE(f.next());
    f.feed("\r\n\r\n" + options(1) + "\r\n");
    auto m = f.next();
    ASSERT_TRUE(m && *m);
    EXPECT_FALSE(f.next());
    EXPECT_EQ(f.keepAlivesSeen(), 2u);
}

TEST(StreamFramer, MissingContentLengthEndsTheStream)
{
    StreamFramer f;
    f.feed("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n");
    auto m = f.next();
    ASSERT_TRUE(m);
    ASSERT_FALSE(*m);
    EXPECT_NE(m->error().what.find("Content-Length"), std::string::npos);
    EXPECT_FALSE(f.feed(options(2)));
    EXPECT_TRUE(f.error());
}

TEST(StreamFramer, ABodyLargerThanTheLimitIsRefusedBeforeItArrives)
{
    Limits l;
    l.maxMessageSize = 1000;
    StreamFramer f(l);
    f.feed("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n");
    auto m = f.next();
    ASSERT_TRUE(m);
    ASSERT_FALSE(*m);
    EXPECT_EQ(m->error().status, 513);
}

TEST(StreamFramer, AHeaderSectionThatNeverEndsIsRefusedAtTheLimit)
{
    Limits l;
    l.maxMessageSize = 4096;
    StreamFramer f(l);
    f.feed("OPTIONS sip:a@b SIP/2.0\r\n");
    std::optional<Result<Message>> r;
    for (int i = 0; i < 1000 && !r; ++i) {
        f.feed("X-Filler: 0123456789\r\n");
        r = f.next();
    }
    ASSERT_TRUE(r);
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().status, 513);
    EXPECT_LT(f.buffered(), 8192u);
}

TEST(StreamFramer, MemoryStaysBoundedOverALongStream)
{
    StreamFramer f;
    for (int i = 0; i < 2000; ++i) {
        f.feed(options(i, "body"));
        auto m = f.next();
        ASSERT_TRUE(m && *m);
    }
    EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, KeepAlivesAfterAMessageDoNotLoseTheNextOneWhenTheBufferIsCompacted)
{
    // Found by fuzz_message_stream: skipping line ends after a message moved the read position
    // past the scan position, and compacting the buffer then wrapped the scan position around.
    const std::string stream = options(1, std::string(150, 'b')) + std::string(60, '\n') + options(2);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{16}, stream.size()}) {
        StreamFramer f;
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            f.feed(std::string_view(stream).substr(i, chunk));
            while (auto m = f.next()) {
                ASSERT_TRUE(*m) << m->error().what;
                ids.emplace_back(*(*m)->callId());
            }
        }
        EXPECT_EQ(ids, (std::vector<std::string>{"call-1", "call-2"})) << "chunk " << chunk;
    }
}
