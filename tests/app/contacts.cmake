# core/contacts (issue 7): the vCard reader/writer (QtCore only) and the SQLite store.
add_executable(vphone_contacts_vcard_tests
  ${CMAKE_CURRENT_LIST_DIR}/contacts_vcard_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_vcard_export_test.cpp
)
target_link_libraries(vphone_contacts_vcard_tests PRIVATE vphone_vcard GTest::gtest_main)
target_compile_definitions(vphone_contacts_vcard_tests PRIVATE VPHONE_TEST_DATA="${CMAKE_CURRENT_LIST_DIR}/../data")
gtest_discover_tests(vphone_contacts_vcard_tests DISCOVERY_TIMEOUT 60)
