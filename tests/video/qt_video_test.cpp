// ui/common/qt_video: the QVideoSink hand-off (frames written on another thread reach the sink on
// its own thread as Format_YUV420P with the right planes; a vanished sink is harmless; a slow GUI
// drops frames instead of queueing them) and QtCameraSource on a machine without a camera.
// Runs with QT_QPA_PLATFORM=offscreen under a QGuiApplication.
#include "common/qt_video.h"
#include "video/test_pattern.h"

#include <QCameraDevice>
#include <QGuiApplication>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QThread>
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

using namespace vphone;
using namespace std::chrono_literals;

namespace {

media::VideoFrame pattern(int w, int h, std::uint32_t n)
{
    media::VideoFrame f;
    f.resize(w, h);
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c)
            f.y()[r * w + c] = std::uint8_t((r * 7 + c * 3 + n) & 0xff);
    for (int r = 0; r < f.chromaHeight(); ++r)
        for (int c = 0; c < f.chromaWidth(); ++c) {
            f.u()[r * f.chromaWidth() + c] = std::uint8_t((r + 2 * c + n) & 0xff);
            f.v()[r * f.chromaWidth() + c] = std::uint8_t((3 * r + c + 100 + n) & 0xff);
        }
    return f;
}

/// True when `q` holds `f`'s planes, cropped to q's (even) size; Qt's strides may be wider.
bool samePlanes(QVideoFrame q, const media::VideoFrame& f)
{
    if (!q.map(QVideoFrame::ReadOnly)) return false;
    bool same = q.planeCount() == 3 && q.width() <= f.width && q.height() <= f.height;
    const auto rows = [&](int plane, const std::uint8_t* src, int stride, int w, int h) {
        for (int r = 0; same && r < h; ++r)
            same = std::memcmp(q.bits(plane) + std::ptrdiff_t(r) * q.bytesPerLine(plane),
                               src + std::ptrdiff_t(r) * stride, std::size_t(w)) == 0;
    };
    if (same) {
        rows(0, f.y(), f.width, q.width(), q.height());
        rows(1, f.u(), f.chromaWidth(), q.width() / 2, q.height() / 2);
        rows(2, f.v(), f.chromaWidth(), q.width() / 2, q.height() / 2);
    }
    q.unmap();
    return same;
}

} // namespace

TEST(QtVideoSinkAdapter, FramesFromTheMediaThreadReachTheSinkOnItsThread)
{
    for (const auto& [w, h] : {std::pair{64, 48}, std::pair{33, 17}}) {
        QVideoSink sink;
        QSignalSpy spy(&sink, &QVideoSink::videoFrameChanged);
        QThread* deliveredOn = nullptr;
        QObject::connect(&sink, &QVideoSink::videoFrameChanged, &sink,
                         [&] { deliveredOn = QThread::currentThread(); });
        ui::QtVideoSinkAdapter adapter(&sink);
        const auto frame = pattern(w, h, 5);
        std::thread media([&] { adapter.write(frame, std::chrono::steady_clock::now()); });
        media.join();
        ASSERT_TRUE(spy.count() > 0 || spy.wait(2000)) << w << "x" << h;
        EXPECT_EQ(deliveredOn, QThread::currentThread());
        const QVideoFrame got = sink.videoFrame();
        ASSERT_TRUE(got.isValid());
        EXPECT_EQ(got.width(), w & ~1); // Qt 6.4 has no room for an odd size's last chroma row
        EXPECT_EQ(got.height(), h & ~1);
        EXPECT_EQ(got.pixelFormat(), QVideoFrameFormat::Format_YUV420P);
        EXPECT_TRUE(samePlanes(got, frame)) << w << "x" << h;
        EXPECT_TRUE(adapter.lastError().empty());
    }
}

TEST(QtVideoSinkAdapter, ConvertsAnI420FrameIntoYuv420p)
{
    const auto frame = pattern(320, 180, 9);
    const QVideoFrame q = ui::QtVideoSinkAdapter::toQVideoFrame(frame);
    ASSERT_TRUE(q.isValid());
    EXPECT_EQ(q.size(), QSize(320, 180));
    EXPECT_EQ(q.pixelFormat(), QVideoFrameFormat::Format_YUV420P);
    EXPECT_TRUE(samePlanes(q, frame));
    EXPECT_FALSE(ui::QtVideoSinkAdapter::toQVideoFrame(media::VideoFrame{}).isValid());
}

// The app's adapters (setBgraOutput) post BGRA frames converted on the media thread: the same
// pixels libswscale gives, odd sizes kept whole, on the sink's thread.
TEST(QtVideoSinkAdapter, BgraOutputPostsTheConvertedPictureWhole)
{
    ui::QtVideoSinkAdapter::setBgraOutput(true);
    QVideoSink sink;
    QSignalSpy spy(&sink, &QVideoSink::videoFrameChanged);
    ui::QtVideoSinkAdapter adapter(&sink);
    ui::QtVideoSinkAdapter::setBgraOutput(false); // only adapters made while on convert
    const auto frame = pattern(33, 17, 4);
    std::thread media([&] { adapter.write(frame, std::chrono::steady_clock::now()); });
    media.join();
    ASSERT_TRUE(spy.count() > 0 || spy.wait(2000));
    QVideoFrame got = sink.videoFrame();
    ASSERT_TRUE(got.isValid());
    EXPECT_EQ(got.pixelFormat(), QVideoFrameFormat::Format_BGRA8888);
    EXPECT_EQ(got.size(), QSize(33, 17));
    media::VideoScaler scaler;
    std::vector<std::uint8_t> expected;
    ASSERT_TRUE(scaler.i420ToRgba(frame, expected, media::PixelOrder::Bgra));
    ASSERT_TRUE(got.map(QVideoFrame::ReadOnly));
    bool same = true;
    for (int r = 0; r < 17 && same; ++r)
        same = std::memcmp(got.bits(0) + std::ptrdiff_t(r) * got.bytesPerLine(0),
                           expected.data() + r * 33 * 4, 33 * 4) == 0;
    got.unmap();
    EXPECT_TRUE(same);
    std::vector<std::uint8_t> scratch;
    EXPECT_FALSE(ui::QtVideoSinkAdapter::toBgraVideoFrame(media::VideoFrame{}, scaler, scratch).isValid());
}

TEST(QtVideoSinkAdapter, ASlowGuiDropsFramesInsteadOfQueueingThem)
{
    QVideoSink sink;
    QSignalSpy spy(&sink, &QVideoSink::videoFrameChanged);
    ui::QtVideoSinkAdapter adapter(&sink);
    std::thread media([&] {
        for (std::uint32_t n = 0; n < 10; ++n)
            adapter.write(pattern(32, 32, n), std::chrono::steady_clock::now());
    });
    media.join(); // the GUI thread (this one) handled no events meanwhile
    EXPECT_EQ(adapter.dropped(), 8u);
    QCoreApplication::processEvents();
    EXPECT_EQ(spy.count(), 2);
    adapter.write(pattern(32, 32, 10), std::chrono::steady_clock::now()); // room again
    QCoreApplication::processEvents();
    EXPECT_EQ(spy.count(), 3);
    EXPECT_TRUE(samePlanes(sink.videoFrame(), pattern(32, 32, 10)));
}

TEST(QtVideoSinkAdapter, AVanishedSinkIsHarmless)
{
    auto sink = std::make_unique<QVideoSink>();
    auto factory = ui::qtSinkFactory(sink.get());
    auto made = factory();
    ASSERT_TRUE(made) << made.error().what;
    (*made)->write(pattern(16, 16, 1), std::chrono::steady_clock::now()); // posted, not yet delivered
    sink.reset();
    QCoreApplication::processEvents();
    (*made)->write(pattern(16, 16, 2), std::chrono::steady_clock::now());
    QCoreApplication::processEvents();
    made->reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    auto again = factory();
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().what.find("gone"), std::string::npos) << again.error().what;
}

TEST(QtCameraSource, NoCameraHereIsAnError)
{
    if (!QMediaDevices::videoInputs().isEmpty()) GTEST_SKIP() << "this machine has a camera";
    auto any = ui::QtCameraSource::create({}, 640, 360, 30);
    ASSERT_FALSE(any);
    EXPECT_EQ(any.error().what, "no camera found");
    auto named = ui::QtCameraSource::create(QStringLiteral("Integrated"), 1280, 720, 30);
    ASSERT_FALSE(named);
    EXPECT_EQ(named.error().what, "no camera found");
}

TEST(QtCameraSource, TheFactoryOpensCamerasAndLeavesOtherSourcesToTheEngine)
{
    const auto factory = ui::qtCameraFactory();
    auto spec = media::parseVideoSourceSpec("device:Integrated");
    ASSERT_TRUE(spec);
    if (QMediaDevices::videoInputs().isEmpty()) {
        // From a thread that is not the application's: made there, the error comes back.
        media::MediaResult<std::unique_ptr<media::VideoSource>> made = media::mediaError("not run");
        std::atomic<bool> done{false};
        std::thread caller([&] {
            made = factory(*spec);
            done.store(true);
        });
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done.load() && std::chrono::steady_clock::now() < deadline) {
            QCoreApplication::processEvents(); // the blocking queued call runs here
            std::this_thread::sleep_for(1ms);
        }
        caller.join();
        ASSERT_FALSE(made);
        EXPECT_EQ(made.error().what, "no camera found");
    }
    auto testsrc = media::parseVideoSourceSpec("testsrc:320x180@15");
    ASSERT_TRUE(testsrc);
    auto pattern = factory(*testsrc);
    ASSERT_TRUE(pattern) << pattern.error().what;
    EXPECT_EQ((*pattern)->width(), 320);
    EXPECT_EQ((*pattern)->fps(), 15);
}

namespace {

/// A w x h QVideoFrame in `format`, every pixel pure red (RGB formats) or the red's Y/U/V.
QVideoFrame redFrame(QVideoFrameFormat::PixelFormat format, int w, int h)
{
    QVideoFrame f(QVideoFrameFormat(QSize(w, h), format));
    if (!f.map(QVideoFrame::WriteOnly)) return {};
    const auto fill = [&](int plane, int rows, auto pixel) {
        for (int r = 0; r < rows; ++r)
            pixel(f.bits(plane) + std::ptrdiff_t(r) * f.bytesPerLine(plane));
    };
    switch (format) {
    case QVideoFrameFormat::Format_YUV420P:
        fill(0, h, [&](std::uint8_t* row) { std::memset(row, 82, std::size_t(w)); });
        fill(1, h / 2, [&](std::uint8_t* row) { std::memset(row, 90, std::size_t(w / 2)); });
        fill(2, h / 2, [&](std::uint8_t* row) { std::memset(row, 240, std::size_t(w / 2)); });
        break;
    case QVideoFrameFormat::Format_NV12:
        fill(0, h, [&](std::uint8_t* row) { std::memset(row, 82, std::size_t(w)); });
        fill(1, h / 2, [&](std::uint8_t* row) {
            for (int c = 0; c < w / 2; ++c)
                row[2 * c] = 90, row[2 * c + 1] = 240;
        });
        break;
    case QVideoFrameFormat::Format_YUYV:
        fill(0, h, [&](std::uint8_t* row) {
            for (int c = 0; c < w / 2; ++c)
                row[4 * c] = 82, row[4 * c + 1] = 90, row[4 * c + 2] = 82, row[4 * c + 3] = 240;
        });
        break;
    default: { // RGBA8888 / BGRA8888 / RGBX8888 / BGRX8888
        const bool rgba =
            format == QVideoFrameFormat::Format_RGBA8888 || format == QVideoFrameFormat::Format_RGBX8888;
        fill(0, h, [&](std::uint8_t* row) {
            for (int c = 0; c < w; ++c) {
                row[4 * c + 0] = rgba ? 255 : 0;
                row[4 * c + 1] = 0;
                row[4 * c + 2] = rgba ? 0 : 255;
                row[4 * c + 3] = 255;
            }
        });
    }
    }
    f.unmap();
    return f;
}

double meanOf(const std::uint8_t* p, std::size_t n)
{
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += p[i];
    return sum / double(n);
}

} // namespace

TEST(QtCameraSource, ConvertsWhatCamerasGiveToI420)
{
    media::VideoScaler scaler;
    for (const auto format : {QVideoFrameFormat::Format_YUV420P, QVideoFrameFormat::Format_NV12,
                              QVideoFrameFormat::Format_RGBA8888, QVideoFrameFormat::Format_BGRA8888,
                              QVideoFrameFormat::Format_BGRX8888, QVideoFrameFormat::Format_YUYV}) {
        const QVideoFrame in = redFrame(format, 64, 48);
        ASSERT_TRUE(in.isValid()) << format;
        media::VideoFrame out;
        ASSERT_TRUE(ui::QtCameraSource::toI420(in, scaler, out)) << format;
        ASSERT_TRUE(out.valid());
        EXPECT_EQ(out.width, 64);
        EXPECT_EQ(out.height, 48);
        const std::size_t c = std::size_t(out.chromaWidth()) * out.chromaHeight();
        // Red in BT.601 limited range; Qt's YUYV -> RGB -> our I420 round trip is a little off.
        EXPECT_NEAR(meanOf(out.y(), std::size_t(out.width) * out.height), 82, 4) << format;
        EXPECT_NEAR(meanOf(out.u(), c), 90, 4) << format;
        EXPECT_NEAR(meanOf(out.v(), c), 240, 4) << format;
    }
    media::VideoFrame out;
    EXPECT_FALSE(ui::QtCameraSource::toI420(QVideoFrame(), scaler, out));
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
