/** The onboarding chat panel and the profile: view model and view. */
package dev.labdesk.desktop.chat;
