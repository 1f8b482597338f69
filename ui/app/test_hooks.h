// TestHooks: the app's hidden options that drive a session from the command line for the
// end-to-end tests and the README's pictures (beside --screenshot-after / --hangup-after in
// main.cpp). Each acts once, S seconds (fractions allowed) after start:
//   --dial-after S:TARGET      calls TARGET (repeatable; a video call with --video)
//   --merge-after S            merges the calls that are up or held into a conference
//   --add-after S:TARGET       calls TARGET into the conference (repeatable)
//   --transfer-after S:TARGET  blind transfer of the current call to TARGET; TARGET "other":
//                              attended transfer to the other call that is up
//   --leave-after S            ends the conference (hangs every member up)
//   --window-size WxH          the window's size (pictures of a bigger window)
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

class QQuickWindow;

namespace vphone::ui {
class PhoneController;
}

namespace vphone::app {

class TestHooks {
public:
    /// Adds the options (hidden from --help) to `parser`, before it processes the command line.
    explicit TestHooks(QCommandLineParser& parser);
    /// Arms the timers for the options given; an error sentence for a malformed one, else empty.
    QString arm(const QCommandLineParser& parser, ui::PhoneController& controller, QQuickWindow* window,
                bool video) const;

private:
    QCommandLineOption dialAfter_;
    QCommandLineOption mergeAfter_;
    QCommandLineOption addAfter_;
    QCommandLineOption transferAfter_;
    QCommandLineOption leaveAfter_;
    QCommandLineOption windowSize_;
};

} // namespace vphone::app
