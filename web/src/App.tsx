import { BrowserRouter, Route, Routes } from "react-router";
import { RequireAuth } from "./auth/RequireAuth";
import { SessionProvider } from "./auth/SessionProvider";
import { ToastProvider } from "./components/feedback/ToastProvider";
import { AppLayout } from "./components/layout/AppLayout";
import { ModeratorOnly } from "./components/moderation/ModeratorOnly";
import { NotificationsProvider } from "./notifications/NotificationsProvider";
import { ClipPage } from "./pages/ClipPage";
import { ExplorePage } from "./pages/ExplorePage";
import { HomePage } from "./pages/HomePage";
import { LoginPage } from "./pages/LoginPage";
import { ModerationPage } from "./pages/ModerationPage";
import { ModerationReportPage } from "./pages/ModerationReportPage";
import { MyReportsPage } from "./pages/MyReportsPage";
import { NewSpacePage } from "./pages/NewSpacePage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { NotificationsPage } from "./pages/NotificationsPage";
import { AtHandleRoute, ProfilePage } from "./pages/ProfilePage";
import { ReportStatusPage } from "./pages/ReportStatusPage";
import { SignupPage } from "./pages/SignupPage";
import { SpacePage } from "./pages/SpacePage";
import { StatementPage } from "./pages/StatementPage";
import { TransparencyPage } from "./pages/TransparencyPage";

/** The routes of the app; every page shares the header and the session. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <ToastProvider>
          <NotificationsProvider>
            <Routes>
              <Route element={<AppLayout />}>
                <Route index element={<HomePage />} />
                <Route path="signup" element={<SignupPage />} />
                <Route path="login" element={<LoginPage />} />
                <Route
                  path="new"
                  element={
                    <RequireAuth>
                      <NewSpacePage />
                    </RequireAuth>
                  }
                />
                <Route path="explore" element={<ExplorePage />} />
                <Route
                  path="notifications"
                  element={
                    <RequireAuth>
                      <NotificationsPage />
                    </RequireAuth>
                  }
                />
                <Route
                  path="reports"
                  element={
                    <RequireAuth>
                      <MyReportsPage />
                    </RequireAuth>
                  }
                />
                <Route path="reports/:id" element={<ReportStatusPage />} />
                <Route path="statements/:id" element={<StatementPage />} />
                <Route path="transparency" element={<TransparencyPage />} />
                <Route
                  path="moderation"
                  element={
                    <RequireAuth>
                      <ModeratorOnly>
                        <ModerationPage />
                      </ModeratorOnly>
                    </RequireAuth>
                  }
                />
                <Route
                  path="moderation/reports/:id"
                  element={
                    <RequireAuth>
                      <ModeratorOnly>
                        <ModerationReportPage />
                      </ModeratorOnly>
                    </RequireAuth>
                  }
                />
                <Route path="spaces/:id" element={<SpacePage />} />
                <Route path="clips/:clipId" element={<ClipPage />} />
                <Route path="u/:handle" element={<ProfilePage />} />
                <Route path=":atHandle" element={<AtHandleRoute />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </NotificationsProvider>
        </ToastProvider>
      </SessionProvider>
    </BrowserRouter>
  );
}
