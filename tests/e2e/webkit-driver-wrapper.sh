#!/bin/sh
# tauri-driver's --native-driver: WebKitWebDriver that replaces a leftover
# session instead of refusing new ones ("Maximum number of active sessions").
exec "${WEBKIT_WEBDRIVER:-WebKitWebDriver}" --replace-on-new-session "$@"
