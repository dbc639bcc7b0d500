package dev.labdesk.desktop.settings;

public enum Theme { LIGHT, DARK }
