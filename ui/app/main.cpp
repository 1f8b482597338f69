// vphone, the desktop video phone: `vphone [--profile DIR] [URI]`.
//
// One instance per profile: a later launch hands its URI to the running one (single_instance.h)
// and exits 0; the running one dials it and comes to the front. The profile directory (default:
// the platform's application data directory) holds vphone.ini (profile_config.h) and, later,
// the contacts database. The window is QML (qml/Main.qml) bound to PhoneController.
#include "common/qt_video.h"
#include "contact_photo_provider.h"
#include "desktop_integration.h"
#include "models/phone_controller.h"
#include "models/profile_config.h"
#include "models/settings_controller.h"
#include "single_instance.h"
#include "test_hooks.h"
#include "video_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QHash>
#include <QJsonObject>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <memory>

using namespace std::chrono_literals;

namespace {

/// Mean luma (0 black .. 1 white) of an image: says whether a light or a dark palette is in use.
double meanLuma(const QImage& image)
{
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int y = 0; y < img.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x)
            sum += 0.2126 * qRed(row[x]) + 0.7152 * qGreen(row[x]) + 0.0722 * qBlue(row[x]);
    }
    const double n = static_cast<double>(img.width()) * img.height();
    return n > 0 ? sum / (255.0 * n) : 0.0;
}

/// The share of pixels that differ from the most common colour (the background).
double nonBackground(const QImage& image)
{
    QHash<QRgb, qint64> counts;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < img.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x)
            ++counts[row[x]];
    }
    qint64 most = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        most = std::max(most, it.value());
    const qint64 all = static_cast<qint64>(img.width()) * img.height();
    return all > 0 ? static_cast<double>(all - most) / static_cast<double>(all) : 0.0;
}

QQuickWindow* windowOf(QQmlApplicationEngine& engine)
{
    const auto roots = engine.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(roots.first());
}

void bringForward(QQmlApplicationEngine& engine)
{
    if (QQuickWindow* w = windowOf(engine)) {
        w->show();
        w->raise();
        w->requestActivate();
    }
}

/// Chooses the Qt Quick scene graph before the first window: `choice` ("auto", "software" or
/// "opengl"; from --renderer, else [ui] renderer in vphone.ini). Auto takes Qt Quick's software
/// renderer where the machine has no GPU render node (/dev/dri/renderD*): OpenGL would then be
/// Mesa's llvmpipe, whose LLVM JIT costs about 64 MB of memory and a tenth of a second at every
/// start and draws this interface no faster than the software renderer does. QT_QUICK_BACKEND or
/// QSG_RHI_BACKEND in the environment win over both. Returns what was chosen, for the log.
QString chooseRenderer(const QString& choice)
{
    if (qEnvironmentVariableIsSet("QT_QUICK_BACKEND")) return qEnvironmentVariable("QT_QUICK_BACKEND");
    if (qEnvironmentVariableIsSet("QSG_RHI_BACKEND")) return qEnvironmentVariable("QSG_RHI_BACKEND");
    bool software = choice == QLatin1String("software");
    if (choice.isEmpty() || choice == QLatin1String("auto"))
        software =
            QDir(QStringLiteral("/dev/dri")).entryList({QStringLiteral("renderD*")}, QDir::System).isEmpty();
    QQuickWindow::setGraphicsApi(software ? QSGRendererInterface::Software : QSGRendererInterface::OpenGL);
    return software ? QStringLiteral("software") : QStringLiteral("opengl");
}

int fail(const QString& what)
{
    std::fprintf(stderr, "vphone: %s\n", qPrintable(what));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    // --version and --help work without a display (a QGuiApplication would abort there).
    bool infoOnly = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        infoOnly = infoOnly || arg == "-v" || arg == "--version" || arg == "-h" || arg == "--help" ||
                   arg == "--help-all";
    }
    const std::unique_ptr<QCoreApplication> application = infoOnly
                                                              ? std::make_unique<QCoreApplication>(argc, argv)
                                                              : std::make_unique<QApplication>(argc, argv);
    QCoreApplication& app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("vphone"));
    QCoreApplication::setOrganizationName(QStringLiteral("vphone"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VPHONE_VERSION));
    if (!infoOnly) QGuiApplication::setDesktopFileName(QStringLiteral("vphone"));

    // The user's language (ui/app/translations; English is the source).
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("vphone"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QGuiApplication::translate("main", "A SIP video phone."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QGuiApplication::translate("main", "Profile directory (settings, history)."), QStringLiteral("DIR"));
    const QCommandLineOption listenOption(
        QStringLiteral("listen"),
        QGuiApplication::translate("main", "SIP socket PROTO:HOST:PORT (repeatable)."),
        QStringLiteral("SPEC"));
    const QCommandLineOption rtpOption(QStringLiteral("rtp-ports"),
                                       QGuiApplication::translate("main", "UDP ports for media, MIN-MAX."),
                                       QStringLiteral("RANGE"));
    const QCommandLineOption videoOption(
        QStringLiteral("video-source"),
        QGuiApplication::translate("main", "Camera: device[:NAME], testsrc[:WxH[@FPS]] or off."),
        QStringLiteral("SPEC"));
    const QCommandLineOption audioSourceOption(
        QStringLiteral("audio-source"),
        QCoreApplication::translate("main", "Microphone: device[:NAME], tone:HZ, file:PATH or silence."),
        QStringLiteral("SPEC"));
    const QCommandLineOption audioSinkOption(
        QStringLiteral("audio-sink"),
        QCoreApplication::translate("main", "Speaker: device[:NAME], file:PATH or null."),
        QStringLiteral("SPEC"));
    const QCommandLineOption videoCallOption(
        QStringLiteral("video"), QGuiApplication::translate("main", "Make the call to URI a video call."));
    const QCommandLineOption rendererOption(
        QStringLiteral("renderer"),
        QGuiApplication::translate("main", "Scene graph: auto (software without a GPU), software or opengl."),
        QStringLiteral("NAME"));
    const QCommandLineOption logOption(
        QStringLiteral("log"), QGuiApplication::translate("main", "Write state changes as JSON lines."),
        QStringLiteral("FILE"));
    // For tests: a picture of the window, and calls that end by themselves.
    QCommandLineOption screenshotAfter(QStringLiteral("screenshot-after"), QString(),
                                       QStringLiteral("SECONDS"));
    QCommandLineOption screenshotFile(QStringLiteral("screenshot"), QString(), QStringLiteral("FILE"));
    QCommandLineOption screenshotIncoming(QStringLiteral("screenshot-incoming"), QString(),
                                          QStringLiteral("FILE"));
    QCommandLineOption hangupAfter(QStringLiteral("hangup-after"), QString(), QStringLiteral("SECONDS"));
    // For tests: contacts from a vCard file into the profile, and pictures of sidebar tabs
    // ("contacts:2:FILE": the Contacts tab shown, pictured 2 s after start).
    QCommandLineOption importVCard(QStringLiteral("import-vcard"), QString(), QStringLiteral("FILE"));
    QCommandLineOption screenshotTab(QStringLiteral("screenshot-tab"), QString(),
                                     QStringLiteral("TAB:SECONDS:FILE"));
    for (QCommandLineOption* o :
         {&screenshotAfter, &screenshotFile, &screenshotIncoming, &hangupAfter, &importVCard, &screenshotTab})
        o->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({profileOption, listenOption, rtpOption, audioSourceOption, audioSinkOption,
                       videoOption, videoCallOption, rendererOption, logOption, screenshotAfter,
                       screenshotFile, screenshotIncoming, hangupAfter, importVCard, screenshotTab});
    const vphone::app::TestHooks testHooks(parser); // --dial-after, --merge-after, --transfer-after...
    parser.addPositionalArgument(
        QStringLiteral("uri"),
        QGuiApplication::translate("main", "Call this (sip:, sips:, tel:, callto: or a number)."),
        QStringLiteral("[URI]"));
    parser.process(app);

    QString profile = parser.value(profileOption);
    if (profile.isEmpty()) profile = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!QDir().mkpath(profile))
        return fail(QStringLiteral("cannot create the profile directory %1").arg(profile));
    profile = QDir(profile).canonicalPath();
    const QString uri = parser.positionalArguments().value(0);

    // A running instance of this profile takes the URI (or comes forward) and we are done.
    vphone::app::SingleInstance instance(profile);
    if (instance.sendToRunning(uri.isEmpty() ? QStringLiteral("raise") : QStringLiteral("dial ") + uri,
                               1000ms))
        return 0;
    QString why;
    if (!instance.listen(&why)) return fail(QStringLiteral("single-instance socket: %1").arg(why));

    // vphone.ini with the passwords from the keychain (settings_controller.h); the command line
    // goes on top, now and whenever the settings page applies a change.
    vphone::ui::SettingsController settingsModel(profile);
    if (parser.isSet(rtpOption)) {
        auto ports = vphone::media::parsePortRange(parser.value(rtpOption).toStdString());
        if (!ports)
            return fail(QStringLiteral("--rtp-ports: %1").arg(QString::fromStdString(ports.error().what)));
    }
    settingsModel.setOverrides([&parser, &listenOption, &rtpOption, &videoOption, &audioSourceOption,
                                &audioSinkOption, profile](vphone::ui::ProfileConfig& config) {
        if (parser.isSet(listenOption)) config.listen = parser.values(listenOption);
        if (parser.isSet(rtpOption)) {
            if (auto ports = vphone::media::parsePortRange(parser.value(rtpOption).toStdString()))
                config.media.rtpPorts = *ports;
        }
        if (parser.isSet(videoOption)) config.media.videoSource = parser.value(videoOption).toStdString();
        if (parser.isSet(audioSourceOption))
            config.media.audioSource = parser.value(audioSourceOption).toStdString();
        if (parser.isSet(audioSinkOption))
            config.media.audioSink = parser.value(audioSinkOption).toStdString();
        config.media.dtlsCertificateDir = QDir(profile).filePath(QStringLiteral("dtls")).toStdString();
    });
    QStringList problems;
    const vphone::ui::ProfileConfig config = settingsModel.load(&problems);
    for (const QString& p : problems)
        std::fprintf(stderr, "vphone: vphone.ini: %s\n", qPrintable(p));

    vphone::ui::PhoneController controller(config);
    settingsModel.setController(&controller);
    // A command line that sets the sockets up or calls at once is a direct IP phone: no assistant.
    settingsModel.setAssistantAllowed(!parser.isSet(listenOption) && uri.isEmpty());
    controller.setSettings(&settingsModel);
    if (parser.isSet(logOption) && !controller.openLog(parser.value(logOption)))
        return fail(QStringLiteral("cannot write the log %1").arg(parser.value(logOption)));

    if (parser.isSet(importVCard)) {
        const QString summary = controller.contacts()->importVCard(parser.value(importVCard));
        controller.log(
            {{QStringLiteral("event"), QStringLiteral("import")}, {QStringLiteral("summary"), summary}});
    }

    // The window's renderer, and frames for its VideoView items as BGRA made on the media threads.
    QString rendererChoice = parser.value(rendererOption);
    if (rendererChoice.isEmpty())
        rendererChoice = QSettings(QDir(profile).filePath(QStringLiteral("vphone.ini")), QSettings::IniFormat)
                             .value(QStringLiteral("ui/renderer"))
                             .toString();
    if (!rendererChoice.isEmpty() && rendererChoice != QLatin1String("auto") &&
        rendererChoice != QLatin1String("software") && rendererChoice != QLatin1String("opengl"))
        return fail(QStringLiteral("renderer %1: use auto, software or opengl").arg(rendererChoice));
    const QString renderer = chooseRenderer(rendererChoice);
    controller.log(
        {{QStringLiteral("event"), QStringLiteral("renderer")}, {QStringLiteral("renderer"), renderer}});
    vphone::app::VideoView::registerType();
    vphone::ui::QtVideoSinkAdapter::setBgraOutput(true);

    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("phone"), &controller);
    engine.addImageProvider(QStringLiteral("contacts"), new vphone::app::ContactPhotoProvider(&controller));
    engine.rootContext()->setContextProperty(QStringLiteral("appVersion"), QStringLiteral(VPHONE_VERSION));
    engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
    if (!windowOf(engine)) return fail(QStringLiteral("the window could not be loaded"));

    if (!controller.start())
        std::fprintf(stderr, "vphone: %s\n", qPrintable(controller.lastProblem())); // the window says it too

    // Notifications and the tray icon; close to the tray when the profile says so.
    vphone::app::DesktopIntegration desktop(controller, windowOf(engine),
                                            QDir(profile).filePath(QStringLiteral("vphone.ini")));

    QObject::connect(&controller, &vphone::ui::PhoneController::raiseRequested, &app,
                     [&engine] { bringForward(engine); });
    QObject::connect(&instance, &vphone::app::SingleInstance::messageReceived, &app,
                     [&engine, &controller](const QString& message) {
                         controller.log({{QStringLiteral("event"), QStringLiteral("handoff")},
                                         {QStringLiteral("message"), message}});
                         bringForward(engine);
                         if (message.startsWith(QLatin1String("dial ")))
                             controller.dial(message.mid(5), false);
                     });
    if (!uri.isEmpty()) {
        const bool video = parser.isSet(videoCallOption);
        QTimer::singleShot(0, &controller, [&controller, uri, video] { controller.dial(uri, video); });
    }

    if (const QString bad =
            testHooks.arm(parser, controller, windowOf(engine), parser.isSet(videoCallOption));
        !bad.isEmpty())
        return fail(bad);
    if (parser.isSet(hangupAfter)) {
        const int ms = static_cast<int>(parser.value(hangupAfter).toDouble() * 1000);
        QObject::connect(&controller, &vphone::ui::PhoneController::currentCallChanged, &controller,
                         [&controller, ms] {
                             vphone::ui::CallItem* item = controller.currentCall();
                             if (!item || !item->active() || item->property("hangupArmed").toBool()) return;
                             item->setProperty("hangupArmed", true);
                             QTimer::singleShot(ms, item, [item] { item->hangUp(); });
                         });
    }
    const auto screenshot = [&engine, &controller](const QString& file) {
        QQuickWindow* w = windowOf(engine);
        const QImage image = w ? w->grabWindow() : QImage();
        const bool saved = !image.isNull() && image.save(file, "PNG");
        controller.log({{QStringLiteral("event"), QStringLiteral("screenshot")},
                        {QStringLiteral("file"), file},
                        {QStringLiteral("saved"), saved},
                        {QStringLiteral("width"), image.width()},
                        {QStringLiteral("height"), image.height()},
                        {QStringLiteral("non_background"), nonBackground(image)},
                        {QStringLiteral("luma"), meanLuma(image)}});
    };
    if (parser.isSet(screenshotAfter) && parser.isSet(screenshotFile)) {
        const int ms = static_cast<int>(parser.value(screenshotAfter).toDouble() * 1000);
        QTimer::singleShot(ms, &app, [screenshot, file = parser.value(screenshotFile)] { screenshot(file); });
    }
    for (const QString& spec : parser.values(screenshotTab)) {
        static const QStringList tabs{QStringLiteral("calls"),    QStringLiteral("contacts"),
                                      QStringLiteral("history"),  QStringLiteral("chats"),
                                      QStringLiteral("settings"), QStringLiteral("assistant")};
        const int tab = static_cast<int>(tabs.indexOf(spec.section(QLatin1Char(':'), 0, 0)));
        const int ms = static_cast<int>(spec.section(QLatin1Char(':'), 1, 1).toDouble() * 1000);
        const QString file = spec.section(QLatin1Char(':'), 2);
        if (tab < 0 || file.isEmpty())
            return fail(QStringLiteral("--screenshot-tab %1: TAB:SECONDS:FILE").arg(spec));
        QTimer::singleShot(std::max(0, ms - 500), &app, [&engine, tab] {
            QQuickWindow* w = windowOf(engine);
            if (w && tab < 4) w->setProperty("sidebarTab", tab);
            if (w && tab == 4) w->setProperty("settingsOpen", true);
            if (w && tab == 5) w->setProperty("assistantOpen", true);
        });
        QTimer::singleShot(ms, &app, [screenshot, file] { screenshot(file); });
    }
    if (parser.isSet(screenshotIncoming)) {
        // One second after the first incoming call rings: the dialog has been shown.
        QObject::connect(
            &controller, &vphone::ui::PhoneController::incomingCallChanged, &app,
            [&controller, screenshot, file = parser.value(screenshotIncoming), done = false]() mutable {
                if (done || !controller.incomingCall()) return;
                done = true;
                QTimer::singleShot(1000, &controller, [screenshot, file] { screenshot(file); });
            });
    }
    return QGuiApplication::exec();
}
