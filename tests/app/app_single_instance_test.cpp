// One vphone per profile (ui/app/single_instance.h): the local socket's name follows the profile
// directory (the same directory however it is spelled; another directory, another name), a later
// launch's message reaches the running instance and is acknowledged, and with nobody running the
// hand-off fails so the launch becomes the running instance. The client side runs on its own thread
// (its calls block) while the server's event loop turns here.
#include "single_instance.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace std::chrono_literals;
using vphone::app::SingleInstance;

namespace {

/// Sends `message` from another thread while this one runs the event loop; the hand-off's result.
bool handOff(const QString& profile, const QString& message)
{
    std::atomic<int> result{-1};
    std::thread client([&] {
        SingleInstance later(profile);
        result = later.sendToRunning(message, 2000ms) ? 1 : 0;
    });
    QElapsedTimer t;
    t.start();
    while (result < 0 && t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    client.join();
    return result == 1;
}

} // namespace

TEST(SingleInstance, TheNameFollowsTheProfileDirectory)
{
    QTemporaryDir a, b;
    const QString name = SingleInstance::serverName(a.path());
    EXPECT_TRUE(name.startsWith(QLatin1String("vphone-")));
    EXPECT_EQ(name.size(), 7 + 24);
    EXPECT_EQ(SingleInstance::serverName(a.path() + QLatin1String("/")), name);
    EXPECT_EQ(SingleInstance::serverName(a.path() + QLatin1String("/sub/..")), name);
    EXPECT_NE(SingleInstance::serverName(b.path()), name);
}

TEST(SingleInstance, ALaterLaunchHandsItsUriToTheRunningOne)
{
    QTemporaryDir profile, other;
    EXPECT_FALSE(handOff(profile.path(), QStringLiteral("raise"))); // nobody runs yet
    SingleInstance running(profile.path());
    QString why;
    ASSERT_TRUE(running.listen(&why)) << why.toStdString();
    QStringList got;
    QObject::connect(&running, &SingleInstance::messageReceived, [&](const QString& m) { got.append(m); });

    EXPECT_TRUE(handOff(profile.path(), QStringLiteral("dial sip:far2@127.0.0.1:5610")));
    EXPECT_TRUE(handOff(profile.path(), QStringLiteral("raise")));
    EXPECT_FALSE(handOff(other.path(), QStringLiteral("raise"))); // another profile: not ours
    EXPECT_EQ(got, (QStringList{QStringLiteral("dial sip:far2@127.0.0.1:5610"), QStringLiteral("raise")}));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
