# The settings page's live device test (ui/models/device_tester.h): mic level, test tone and
# camera preview with the engine's file/tone devices and the test pattern, offscreen; and the
# same against a private PulseAudio (pipe source, null sink) started by device_tester_pulse.sh.
add_executable(vphone_device_tester_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/device_tester_test.cpp)
target_link_libraries(vphone_device_tester_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_device_tester_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
add_test(NAME app_device_tester_pulse
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/device_tester_pulse.sh $<TARGET_FILE:vphone_device_tester_tests>)
set_tests_properties(app_device_tester_pulse PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE RESOURCE_LOCK "pulseaudio")
# The devices section of the settings page: the level bar, the preview and the test tone button
# over the real models (SIP 5940, RTP 13600-13619 on 127.0.0.1), offscreen.
add_executable(vphone_devices_views_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/app_devices_views_test.cpp)
target_link_libraries(vphone_devices_views_tests PRIVATE vphone_qml vphone_models Qt6::Quick Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_devices_views_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120 ENVIRONMENT "${VPHONE_QT_LSAN}")
# A call's microphone and speaker switched from CallItem between two PhoneControllers
# (SIP 5941-5942, RTP 13620-13659 on 127.0.0.1), audio only, offscreen.
add_executable(vphone_call_devices_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_call_devices_test.cpp)
target_link_libraries(vphone_call_devices_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_call_devices_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
