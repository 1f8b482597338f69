// Forwarding and do not disturb in the app's profile (PROFILE/vphone.ini accounts/N/forward,
// forwardBusy, forwardNoAnswer, forwardAfter, dnd, dndCode): written and read back, bad values
// named and ignored. The Phone facade acts on them (tests/ua/forward_facade_test.cpp). Part of
// vphone_settings_tests (models_settings_test.cpp has main()).
#include "models/profile_config.h"

#include <QSettings>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace vphone;

TEST(SettingsForward, ForwardingAndDoNotDisturbRoundTripThroughTheProfile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vphone.ini"));
    ui::ProfileAccount a;
    a.settings.uri = QStringLiteral("sip:alice@example.test");
    a.settings.forward = QStringLiteral("sip:desk@example.test");
    a.settings.forwardBusy = QStringLiteral("sip:busy@example.test");
    a.settings.forwardNoAnswer = QStringLiteral("sips:voicemail@example.test");
    a.settings.forwardAfter = 12;
    a.settings.dnd = true;
    a.settings.dndCode = 603;
    ui::ProfileAccount b;
    b.settings.uri = QStringLiteral("sip:bob@example.org");
    {
        QSettings s(path, QSettings::IniFormat);
        ui::writeProfileAccounts(s, {a, b});
    }
    QSettings s(path, QSettings::IniFormat);
    QStringList errors;
    const ui::ProfileConfig c = ui::loadProfileConfig(s, &errors);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(c.accounts.size(), 2);
    const ua::AccountSettings& r = c.accounts[0].settings;
    EXPECT_EQ(r.forward, a.settings.forward);
    EXPECT_EQ(r.forwardBusy, a.settings.forwardBusy);
    EXPECT_EQ(r.forwardNoAnswer, a.settings.forwardNoAnswer);
    EXPECT_EQ(r.forwardAfter, 12);
    EXPECT_TRUE(r.dnd);
    EXPECT_EQ(r.dndCode, 603);
    const ua::AccountSettings& d = c.accounts[1].settings; // defaults: nothing written, all off
    EXPECT_TRUE(d.forward.isEmpty());
    EXPECT_FALSE(d.dnd);
    EXPECT_EQ(d.dndCode, 486);
    EXPECT_EQ(d.forwardAfter, 20);

    s.setValue(QStringLiteral("accounts/1/forward"), QStringLiteral("mailto:alice@example.test"));
    s.setValue(QStringLiteral("accounts/1/dndCode"), 404);
    s.setValue(QStringLiteral("accounts/1/forwardAfter"), QStringLiteral("soon"));
    errors.clear();
    const ui::ProfileConfig bad = ui::loadProfileConfig(s, &errors);
    EXPECT_TRUE(bad.accounts[0].settings.forward.isEmpty());
    EXPECT_EQ(bad.accounts[0].settings.dndCode, 486);
    EXPECT_EQ(bad.accounts[0].settings.forwardAfter, 20);
    EXPECT_EQ(errors, (QStringList{QStringLiteral("accounts/1/forward: must be a sip: or sips: URI"),
                                   QStringLiteral("accounts/1/forwardAfter: must be 0 to 3600 seconds"),
                                   QStringLiteral("accounts/1/dndCode: must be 486 or 603")}));
}
