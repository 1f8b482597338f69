# Screen sharing (media/screen, x11grab) and the Qt video hand-off (ui/common/qt_video). Each test
# starts its own Xvfb on a free display :91..:99 and stops it by PID; the interop script shares
# that screen between two vphone-clis (SIP 5560-5569, RTP 12000-12099).
pkg_check_modules(VPHONE_X11 IMPORTED_TARGET x11)
if(VPHONE_X11_FOUND)
  add_executable(vphone_screen_tests ${CMAKE_CURRENT_SOURCE_DIR}/video/screen_source_test.cpp)
  target_link_libraries(vphone_screen_tests PRIVATE vphone_screen vphone_media_engine PkgConfig::VPHONE_X11
                        GTest::gtest_main)
  gtest_discover_tests(vphone_screen_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 60 RUN_SERIAL TRUE)

  # vphone-screen-paint DISPLAY RRGGBB (xsetroot -solid without x11-xserver-utils).
  add_executable(vphone-screen-paint ${CMAKE_CURRENT_SOURCE_DIR}/video/screen_paint.cpp)
  target_link_libraries(vphone-screen-paint PRIVATE PkgConfig::VPHONE_X11)

  add_test(NAME interop_screen_share
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/interop/screen_share.sh $<TARGET_FILE:vphone-cli>
            $<TARGET_FILE:vphone-screen-paint>)
  set_tests_properties(interop_screen_share PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)
endif()

# The Qt hand-off (ui/common/qt_video.h) under an offscreen QGuiApplication; no camera here.
add_executable(vphone_qt_video_tests ${CMAKE_CURRENT_SOURCE_DIR}/video/qt_video_test.cpp)
target_link_libraries(vphone_qt_video_tests PRIVATE vphone_ui_common Qt6::Gui Qt6::Multimedia Qt6::Test
                      GTest::gtest)
gtest_discover_tests(vphone_qt_video_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 60 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
