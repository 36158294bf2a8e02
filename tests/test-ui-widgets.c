/* test-ui-widgets.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-widgets"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "takes-animatic.h"
#include "takes-backend-registry.h"
#include "takes-compare-view.h"
#include "takes-comfyui-workflow.h"
#include "takes-generate-panel.h"
#include "takes-history.h"
#include "takes-job-engine.h"
#include "takes-shot-editor.h"
#include "takes-shot-list.h"
#include "takes-shot-row.h"
#include "takes-take-card.h"
#include "takes-take-gallery.h"
#include "takes-ui.h"
#include "takes-video-sink.h"
#include "takes-workflow-mapping-dialog.h"

/* The shot list and the shot editor in a real window, with a project of
 * three shots. Needs a display: meson runs it under xvfb-run. */

typedef struct
{
  TakesProject *project;
  TakesHistory *history;
  GtkWidget    *window;
  GtkWidget    *list;
  GtkWidget    *editor;
} Fixture;

static const char * const titles[] = { "Opening", "Gull", "Harbour at dawn" };

static gboolean have_display;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Waits for the frame clock to lay the window out; bounded so that a
 * broken build fails instead of hanging. */
static void
settle (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (5000);
      iterate ();
    }
}

static void
on_selected_shot_changed (Fixture *fixture)
{
  TakesShot *shot = takes_shot_list_get_selected_shot (TAKES_SHOT_LIST (fixture->list));

  takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (fixture->editor), shot, fixture->history);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *paned;

  if (!have_display)
    return;

  fixture->project = takes_project_new ();
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *prompt = g_strdup_printf ("Prompt of shot %u", i + 1);

      takes_shot_set_title (shot, titles[i]);
      takes_shot_set_prompt (shot, prompt);
      takes_project_append_shot (fixture->project, shot);
    }
  fixture->history = takes_history_new (fixture->project);

  fixture->list = takes_shot_list_new ();
  fixture->editor = takes_shot_editor_new ();
  g_signal_connect_swapped (fixture->list, "notify::selected-shot",
                            G_CALLBACK (on_selected_shot_changed), fixture);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), fixture->list);
  gtk_paned_set_end_child (GTK_PANED (paned), fixture->editor);
  gtk_paned_set_position (GTK_PANED (paned), 320);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window), paned);
  gtk_window_present (GTK_WINDOW (fixture->window));

  takes_shot_list_set_history (TAKES_SHOT_LIST (fixture->list), fixture->history);
  on_selected_shot_changed (fixture);
  settle ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  iterate ();
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->project);
}

static void
collect_rows (GtkWidget  *widget,
              GPtrArray  *rows)
{
  if (TAKES_IS_SHOT_ROW (widget))
    {
      if (takes_shot_row_get_shot (TAKES_SHOT_ROW (widget)) != NULL &&
          gtk_widget_get_mapped (widget))
        g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GPtrArray *
get_rows (Fixture *fixture)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (fixture->list, rows);

  return rows;
}

static TakesShotRow *
find_row_for_shot (Fixture   *fixture,
                   TakesShot *shot)
{
  g_autoptr(GPtrArray) rows = get_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    if (takes_shot_row_get_shot (rows->pdata[i]) == shot)
      return rows->pdata[i];

  return NULL;
}

static const char *
shot_title_at (Fixture *fixture,
               guint    position)
{
  return takes_shot_get_title (takes_project_get_shot (fixture->project, position));
}

static void
skip_without_display (void)
{
  g_test_skip ("no display (run under xvfb-run)");
}

static void
test_list_shows_rows (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;

  if (!have_display)
    return skip_without_display ();

  rows = get_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      TakesShot *shot = takes_project_get_shot (fixture->project, i);
      TakesShotRow *row = find_row_for_shot (fixture, shot);

      g_assert_nonnull (row);
      g_assert_cmpuint (takes_shot_row_get_number (row), ==, i + 1);
    }

  /* The first shot is selected and shown */
  g_assert_true (takes_shot_list_get_selected_shot (TAKES_SHOT_LIST (fixture->list)) ==
                 takes_project_get_shot (fixture->project, 0));
  g_assert_true (takes_shot_editor_get_shot (TAKES_SHOT_EDITOR (fixture->editor)) ==
                 takes_project_get_shot (fixture->project, 0));
}

static void
test_list_move (Fixture       *fixture,
                gconstpointer  data)
{
  TakesShotList *list;
  TakesShot *opening;

  if (!have_display)
    return skip_without_display ();

  list = TAKES_SHOT_LIST (fixture->list);
  opening = takes_project_get_shot (fixture->project, 0);

  takes_shot_list_select (list, 0);
  takes_shot_list_move_selected (list, 1);
  settle ();

  g_assert_cmpstr (shot_title_at (fixture, 0), ==, "Gull");
  g_assert_cmpstr (shot_title_at (fixture, 1), ==, "Opening");
  g_assert_cmpstr (shot_title_at (fixture, 2), ==, "Harbour at dawn");
  g_assert_true (takes_shot_list_get_selected_shot (list) == opening);
  /* Row numbers follow the move */
  g_assert_cmpuint (takes_shot_row_get_number (find_row_for_shot (fixture, opening)), ==, 2);

  /* Past the end it stays put */
  takes_shot_list_move_selected (list, 5);
  settle ();
  g_assert_cmpstr (shot_title_at (fixture, 2), ==, "Opening");
  g_assert_cmpuint (takes_shot_row_get_number (find_row_for_shot (fixture, opening)), ==, 3);
  takes_shot_list_move_selected (list, 1);
  g_assert_cmpstr (shot_title_at (fixture, 2), ==, "Opening");

  /* The keyboard path goes through the same actions */
  g_assert_true (gtk_widget_activate_action (fixture->list, "shots.move-up", NULL));
  g_assert_cmpstr (shot_title_at (fixture, 1), ==, "Opening");
  g_assert_true (takes_shot_list_get_selected_shot (list) == opening);

  /* Each move is an undo step */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpstr (shot_title_at (fixture, 2), ==, "Opening");
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpstr (shot_title_at (fixture, 0), ==, "Opening");
}

static void
test_list_delete_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  TakesShotList *list;
  TakesShot *gull;

  if (!have_display)
    return skip_without_display ();

  list = TAKES_SHOT_LIST (fixture->list);
  gull = takes_project_get_shot (fixture->project, 1);

  takes_shot_list_select (list, 1);
  takes_shot_list_delete_selected (list);
  settle ();

  g_assert_cmpuint (takes_project_get_n_shots (fixture->project), ==, 2);
  g_assert_cmpstr (shot_title_at (fixture, 1), ==, "Harbour at dawn");
  /* The neighbour takes the selection */
  g_assert_cmpstr (takes_shot_get_title (takes_shot_list_get_selected_shot (list)), ==,
                   "Harbour at dawn");
  g_assert_null (find_row_for_shot (fixture, gull));

  g_assert_true (takes_history_undo (fixture->history));
  settle ();

  g_assert_cmpuint (takes_project_get_n_shots (fixture->project), ==, 3);
  g_assert_cmpstr (shot_title_at (fixture, 1), ==, "Gull");
  g_assert_nonnull (find_row_for_shot (fixture, takes_project_get_shot (fixture->project, 1)));

  /* Deleting the last shot selects the one before it */
  takes_shot_list_select (list, 2);
  takes_shot_list_delete_selected (list);
  g_assert_cmpstr (takes_shot_get_title (takes_shot_list_get_selected_shot (list)), ==, "Gull");
}

static void
test_list_add_duplicate (Fixture       *fixture,
                         gconstpointer  data)
{
  TakesShotList *list;
  TakesShot *selected;
  g_autoptr(GPtrArray) rows = NULL;

  if (!have_display)
    return skip_without_display ();

  list = TAKES_SHOT_LIST (fixture->list);

  takes_shot_list_select (list, 0);
  takes_shot_list_add_shot (list);
  settle ();

  g_assert_cmpuint (takes_project_get_n_shots (fixture->project), ==, 4);
  selected = takes_shot_list_get_selected_shot (list);
  g_assert_true (selected == takes_project_get_shot (fixture->project, 1));
  g_assert_cmpfloat (takes_shot_get_duration (selected), >, 0);
  g_assert_nonnull (takes_shot_get_aspect (selected));
  rows = get_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 4);

  takes_shot_list_select (list, 2);
  takes_shot_list_duplicate_selected (list);
  g_assert_cmpuint (takes_project_get_n_shots (fixture->project), ==, 5);
  g_assert_cmpstr (shot_title_at (fixture, 3), ==, "Gull");
  g_assert_true (takes_shot_list_get_selected_shot (list) ==
                 takes_project_get_shot (fixture->project, 3));
  g_assert_cmpstr (takes_shot_get_id (takes_project_get_shot (fixture->project, 3)), !=,
                   takes_shot_get_id (takes_project_get_shot (fixture->project, 2)));

  g_assert_true (takes_history_undo (fixture->history));
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpuint (takes_project_get_n_shots (fixture->project), ==, 3);
}

static void
test_row_follows_model (Fixture       *fixture,
                        gconstpointer  data)
{
  TakesShot *harbour;
  TakesShotRow *row;
  GtkLabel *title_label;
  GtkLabel *duration_label;

  if (!have_display)
    return skip_without_display ();

  harbour = takes_project_get_shot (fixture->project, 2);
  row = find_row_for_shot (fixture, harbour);
  g_assert_nonnull (row);

  title_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), TAKES_TYPE_SHOT_ROW,
                                                          "title_label"));
  duration_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), TAKES_TYPE_SHOT_ROW,
                                                             "duration_label"));
  g_assert_cmpstr (gtk_label_get_text (title_label), ==, "Harbour at dawn");

  takes_history_set_string (fixture->history, harbour, "title", "Harbour at dusk");
  g_assert_cmpstr (gtk_label_get_text (title_label), ==, "Harbour at dusk");

  takes_history_set_double (fixture->history, harbour, "duration", 7.5);
  g_assert_nonnull (strstr (gtk_label_get_text (duration_label), "7"));
  g_assert_nonnull (strstr (gtk_label_get_text (duration_label), "5"));
  takes_history_set_double (fixture->history, harbour, "duration", 6.0);
  g_assert_nonnull (strstr (gtk_label_get_text (duration_label), "6"));
  g_assert_null (strstr (gtk_label_get_text (duration_label), "6.0"));
}

static GtkTextBuffer *
get_prompt_buffer (Fixture *fixture)
{
  GObject *view = gtk_widget_get_template_child (fixture->editor, TAKES_TYPE_SHOT_EDITOR,
                                                 "prompt_view");

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static char *
get_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
test_editor_prompt_through_history (Fixture       *fixture,
                                    gconstpointer  data)
{
  TakesShot *opening;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  g_autofree char *shown = NULL;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);
  buffer = get_prompt_buffer (fixture);

  shown = get_buffer_text (buffer);
  g_assert_cmpstr (shown, ==, "Prompt of shot 1");
  g_assert_false (takes_history_can_undo (fixture->history));

  gtk_text_buffer_set_text (buffer, "A gull over the harbour", -1);
  g_assert_cmpstr (takes_shot_get_prompt (opening), ==, "A gull over the harbour");
  g_assert_true (takes_history_can_undo (fixture->history));

  /* Typing coalesces into one step */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, ",", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, " at dawn", -1);
  g_assert_cmpstr (takes_shot_get_prompt (opening), ==, "A gull over the harbour, at dawn");

  /* Undo changes the field without recording a new edit (or redo would
   * be gone) */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpstr (takes_shot_get_prompt (opening), ==, "Prompt of shot 1");
  g_clear_pointer (&shown, g_free);
  shown = get_buffer_text (buffer);
  g_assert_cmpstr (shown, ==, "Prompt of shot 1");
  g_assert_true (takes_history_can_redo (fixture->history));

  g_assert_true (takes_history_redo (fixture->history));
  g_clear_pointer (&shown, g_free);
  shown = get_buffer_text (buffer);
  g_assert_cmpstr (shown, ==, "A gull over the harbour, at dawn");
}

static void
test_editor_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  TakesShot *gull;
  GObject *title_entry;
  GObject *duration_spin;
  GObject *aspect_dropdown;
  GObject *seed_random;
  GObject *seed_spin;
  GObject *stack;

  if (!have_display)
    return skip_without_display ();

  gull = takes_project_get_shot (fixture->project, 1);
  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 1);
  g_assert_true (takes_shot_editor_get_shot (TAKES_SHOT_EDITOR (fixture->editor)) == gull);

#define CHILD(name) gtk_widget_get_template_child (fixture->editor, TAKES_TYPE_SHOT_EDITOR, name)
  title_entry = CHILD ("title_entry");
  duration_spin = CHILD ("duration_spin");
  aspect_dropdown = CHILD ("aspect_dropdown");
  seed_random = CHILD ("seed_random_check");
  seed_spin = CHILD ("seed_spin");
  stack = CHILD ("stack");
#undef CHILD

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_entry)), ==, "Gull");
  gtk_editable_set_text (GTK_EDITABLE (title_entry), "Seagull");
  g_assert_cmpstr (takes_shot_get_title (gull), ==, "Seagull");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (duration_spin), 8.5);
  g_assert_cmpfloat_with_epsilon (takes_shot_get_duration (gull), 8.5, 1e-9);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (aspect_dropdown), 1);
  g_assert_cmpstr (takes_shot_get_aspect (gull), ==, "9:16");

  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (seed_random)));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (seed_spin), 42);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (seed_random), FALSE);
  g_assert_cmpint (takes_shot_get_seed (gull), ==, 42);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (seed_random), TRUE);
  g_assert_cmpint (takes_shot_get_seed (gull), ==, -1);

  /* Undo walks back through each field, and the fields follow */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpint (takes_shot_get_seed (gull), ==, 42);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (seed_random)));
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpstr (takes_shot_get_aspect (gull), ==, "16:9");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (aspect_dropdown)), ==, 0);
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (duration_spin)),
                                  TAKES_SHOT_DEFAULT_DURATION, 1e-9);
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_entry)), ==, "Gull");
  g_assert_true (takes_history_can_redo (fixture->history));

  takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (fixture->editor), NULL, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
}

static GtkDropTarget *
find_file_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

static gboolean
drop_file (Fixture *fixture,
           GFile   *file)
{
  GtkDropTarget *target = find_file_drop_target (fixture->editor);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (target);

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);

  return accepted;
}

/* Bounded: the copy is local and small. */
static void
wait_until (gboolean (*done) (Fixture *fixture),
            Fixture  *fixture)
{
  for (guint i = 0; i < 2000 && !done (fixture); i++)
    {
      g_usleep (1000);
      iterate ();
    }
}

static gboolean
has_reference (Fixture *fixture)
{
  return takes_shot_get_reference_image (takes_project_get_shot (fixture->project, 0)) != NULL;
}

static gboolean
shows_error (Fixture *fixture)
{
  GObject *label = gtk_widget_get_template_child (fixture->editor, TAKES_TYPE_SHOT_EDITOR,
                                                  "reference_error_label");

  return gtk_widget_get_visible (GTK_WIDGET (label));
}

static void
test_editor_reference_drop (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *copied_path = NULL;
  g_autofree char *media_path = NULL;
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(GFile) image = NULL;
  g_autoptr(GFile) text = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  TakesShot *opening;

  if (!have_display)
    return skip_without_display ();

  dir = g_dir_make_tmp ("takes-ui-widgets-XXXXXX", &error);
  g_assert_no_error (error);

  project_path = g_build_filename (dir, "Film.takes", NULL);
  project_file = g_file_new_for_path (project_path);
  takes_project_set_file (fixture->project, project_file);
  opening = takes_project_get_shot (fixture->project, 0);

  /* Not an image: refused with a message, nothing stored */
  text_path = g_build_filename (dir, "notes.txt", NULL);
  g_file_set_contents (text_path, "not an image\n", -1, &error);
  g_assert_no_error (error);
  text = g_file_new_for_path (text_path);
  g_assert_true (drop_file (fixture, text));
  wait_until (shows_error, fixture);
  g_assert_true (shows_error (fixture));
  g_assert_null (takes_shot_get_reference_image (opening));
  g_assert_false (takes_history_can_undo (fixture->history));

  /* An image: copied into the media folder, stored relative, undoable */
  image_path = g_build_filename (dir, "still.png", NULL);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 18);
  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  gdk_pixbuf_save (pixbuf, image_path, "png", &error, NULL);
  g_assert_no_error (error);
  image = g_file_new_for_path (image_path);

  g_assert_true (drop_file (fixture, image));
  wait_until (has_reference, fixture);

  expected = g_strdup_printf ("Film.media/ref-%s-still.png", takes_shot_get_id (opening));
  g_assert_cmpstr (takes_shot_get_reference_image (opening), ==, expected);
  copied_path = g_build_filename (dir, expected, NULL);
  g_assert_true (g_file_test (copied_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (shows_error (fixture));

  g_assert_true (takes_history_undo (fixture->history));
  g_assert_null (takes_shot_get_reference_image (opening));

  g_unlink (copied_path);
  g_unlink (image_path);
  g_unlink (text_path);
  media_path = g_build_filename (dir, "Film.media", NULL);
  g_rmdir (media_path);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------ */
/* Generating and the take gallery                                    */

/* A paid backend that needs an account: listed, but not tickable until
 * it has one. It never gets to send anything in these tests. */
#define TEST_TYPE_PAID_BACKEND (test_paid_backend_get_type ())
G_DECLARE_FINAL_TYPE (TestPaidBackend, test_paid_backend, TEST, PAID_BACKEND, TakesBackend)

struct _TestPaidBackend
{
  TakesBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (TestPaidBackend, test_paid_backend, TAKES_TYPE_BACKEND)

static const TakesBackendModel paid_models[] = {
  { "fast", "Fast" },
  { "best", "Best" },
  { NULL, NULL },
};

static const char * const paid_credentials[] = { "TAKES_UITEST_API_KEY", NULL };

static const char *
paid_get_id (TakesBackend *backend)
{
  return "uitest";
}

static const char *
paid_get_display_name (TakesBackend *backend)
{
  return "Studio Cloud";
}

static const TakesBackendModel *
paid_get_models (TakesBackend *backend)
{
  return paid_models;
}

static const char * const *
paid_get_credential_names (TakesBackend *backend)
{
  return paid_credentials;
}

static double
paid_estimate_cost (TakesBackend           *backend,
                    TakesGenerationRequest *request)
{
  return 0.5 * takes_generation_request_get_duration (request);
}

static void
test_paid_backend_class_init (TestPaidBackendClass *klass)
{
  TakesBackendClass *backend_class = TAKES_BACKEND_CLASS (klass);

  backend_class->get_id = paid_get_id;
  backend_class->get_display_name = paid_get_display_name;
  backend_class->get_models = paid_get_models;
  backend_class->get_credential_names = paid_get_credential_names;
  backend_class->estimate_cost = paid_estimate_cost;
}

static void
test_paid_backend_init (TestPaidBackend *self)
{
}

static void
reset_generate_settings (void)
{
  GSettings *settings = takes_ui_get_settings ();

  g_unsetenv ("TAKES_UITEST_API_KEY");
  if (settings != NULL)
    {
      g_settings_reset (settings, "enabled-backends");
      g_settings_reset (settings, "default-takes-per-backend");
      g_settings_reset (settings, "backend-models");
    }
}

static TakesBackendRegistry *
make_registry (const char *work_dir)
{
  TakesBackendRegistry *registry = takes_backend_registry_new ();
  g_autoptr(TakesBackend) paid = g_object_new (TEST_TYPE_PAID_BACKEND, NULL);
  TakesBackend *animatic = takes_backend_registry_lookup (registry, "animatic");

  g_assert_nonnull (animatic);
  if (work_dir != NULL)
    takes_animatic_set_work_dir (TAKES_ANIMATIC (animatic), work_dir);
  takes_backend_registry_add (registry, paid);

  return registry;
}

/* Gives the editor an engine over the fixture's project. */
static TakesJobEngine *
attach_engine (Fixture              *fixture,
               TakesBackendRegistry *registry)
{
  TakesJobEngine *engine = takes_job_engine_new (fixture->project, registry);

  takes_job_engine_set_default_resolution (engine, "360p");
  takes_shot_editor_set_engine (TAKES_SHOT_EDITOR (fixture->editor), engine);

  return engine;
}

static TakesTakeGallery *
get_gallery (Fixture *fixture)
{
  return takes_shot_editor_get_take_gallery (TAKES_SHOT_EDITOR (fixture->editor));
}

static TakesGeneratePanel *
get_panel (Fixture *fixture)
{
  return takes_shot_editor_get_generate_panel (TAKES_SHOT_EDITOR (fixture->editor));
}

static TakesTakeCard *
card_for (Fixture   *fixture,
          TakesTake *take)
{
  GtkWidget *card = takes_take_gallery_get_card (get_gallery (fixture), take);

  return card != NULL ? TAKES_TAKE_CARD (card) : NULL;
}

static GtkWidget *
card_child (TakesTakeCard *card,
            const char    *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (card), TAKES_TYPE_TAKE_CARD, name);

  g_assert_nonnull (child);

  return GTK_WIDGET (child);
}

static const char *
card_text (TakesTakeCard *card,
           const char    *name)
{
  return gtk_label_get_text (GTK_LABEL (card_child (card, name)));
}

static gboolean
card_shows (TakesTakeCard *card,
            const char    *name)
{
  return gtk_widget_get_visible (card_child (card, name));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static TakesTake *
add_take (TakesShot      *shot,
          TakesTakeState  state)
{
  g_autoptr(TakesTake) take = takes_take_new ("animatic", "animatic");

  takes_take_set_state (take, state);
  if (state == TAKES_TAKE_READY)
    {
      takes_take_set_probe (take, 5.0, 1280, 720, 24, "H.264", "AAC", TRUE);
      takes_take_set_cost_actual (take, 0);
    }
  takes_shot_add_take (shot, take);

  return take;
}

static guint
n_cards (Fixture *fixture)
{
  GObject *flow_box = gtk_widget_get_template_child (GTK_WIDGET (get_gallery (fixture)),
                                                     TAKES_TYPE_TAKE_GALLERY, "flow_box");
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (flow_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_FLOW_BOX_CHILD (child))
      n++;

  return n;
}

static void
test_gallery_cards (Fixture       *fixture,
                    gconstpointer  data)
{
  TakesShot *opening;
  TakesTake *ready, *running, *failed;
  TakesTakeCard *card;
  GObject *stack;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);
  stack = gtk_widget_get_template_child (GTK_WIDGET (get_gallery (fixture)),
                                         TAKES_TYPE_TAKE_GALLERY, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_cmpuint (n_cards (fixture), ==, 0);

  ready = add_take (opening, TAKES_TAKE_READY);
  running = add_take (opening, TAKES_TAKE_RUNNING);
  takes_take_set_progress (running, 0.4);
  failed = add_take (opening, TAKES_TAKE_FAILED);
  takes_take_set_error (failed, "Moderation refused the prompt");
  settle ();

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "cards");
  g_assert_cmpuint (n_cards (fixture), ==, 3);

  card = card_for (fixture, ready);
  g_assert_nonnull (card);
  g_assert_cmpuint (takes_take_card_get_number (card), ==, 1);
  g_assert_cmpstr (card_text (card, "title_label"), ==, "Take 1");
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Ready");
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "5.0 s"));
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "1280×720"));
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "$0.00"));
  g_assert_cmpstr (card_text (card, "length_badge"), ==, "5.0 s");
  g_assert_nonnull (strstr (card_text (card, "backend_label"), "Animatic"));
  g_assert_false (card_shows (card, "progress_bar"));

  card = card_for (fixture, running);
  g_assert_cmpuint (takes_take_card_get_number (card), ==, 2);
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Generating");
  g_assert_true (card_shows (card, "progress_bar"));

  card = card_for (fixture, failed);
  g_assert_cmpstr (card_text (card, "title_label"), ==, "Take 3");
  g_assert_true (card_shows (card, "error_label"));
  g_assert_cmpstr (card_text (card, "error_label"), ==, "Moderation refused the prompt");

  /* Numbers follow the order when a take goes */
  takes_shot_remove_take (opening, running);
  settle ();
  g_assert_cmpuint (n_cards (fixture), ==, 2);
  g_assert_null (card_for (fixture, running));
  g_assert_cmpuint (takes_take_card_get_number (card_for (fixture, failed)), ==, 2);
  g_assert_cmpstr (card_text (card_for (fixture, failed), "title_label"), ==, "Take 2");

  /* Another shot shows its own takes */
  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 1);
  settle ();
  g_assert_true (takes_take_gallery_get_shot (get_gallery (fixture)) ==
                 takes_project_get_shot (fixture->project, 1));
  g_assert_cmpuint (n_cards (fixture), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
}

static void
test_gallery_follows_state (Fixture       *fixture,
                            gconstpointer  data)
{
  TakesShot *opening;
  TakesTake *take;
  TakesTakeCard *card;
  GtkProgressBar *progress;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);
  take = add_take (opening, TAKES_TAKE_QUEUED);
  settle ();

  card = card_for (fixture, take);
  g_assert_nonnull (card);
  progress = GTK_PROGRESS_BAR (card_child (card, "progress_bar"));
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Queued");
  g_assert_true (card_shows (card, "progress_bar"));
  g_assert_true (card_shows (card, "cancel_button"));

  takes_take_set_state (take, TAKES_TAKE_RUNNING);
  takes_take_set_progress (take, 0.4);
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Generating");
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress), 0.4, 1e-9);

  takes_take_set_progress (take, 0.7);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress), 0.7, 1e-9);

  takes_take_set_state (take, TAKES_TAKE_DOWNLOADING);
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Downloading");
  g_assert_true (card_shows (card, "progress_bar"));

  takes_take_set_probe (take, 1.0, 640, 360, 24, "H.264", "AAC", TRUE);
  takes_take_set_cost_actual (take, 0);
  takes_take_set_state (take, TAKES_TAKE_READY);
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Ready");
  g_assert_false (card_shows (card, "progress_bar"));
  g_assert_false (card_shows (card, "cancel_button"));
  g_assert_true (card_shows (card, "pick_button"));
  g_assert_true (card_shows (card, "length_badge"));
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "640×360"));

  /* The same card, not a new one */
  g_assert_true (card_for (fixture, take) == card);
}

typedef struct
{
  TakesTakeState state;
  gboolean       cancel;
  gboolean       retry;
  gboolean       unknown;
  gboolean       pick;
  gboolean       delete;
  gboolean       rating;
} ButtonCase;

static void
test_card_buttons (Fixture       *fixture,
                   gconstpointer  data)
{
  static const ButtonCase cases[] = {
    /* state                  cancel retry  unknown pick   delete rating */
    { TAKES_TAKE_SUBMITTING,  TRUE,  FALSE, FALSE,  FALSE, FALSE, FALSE },
    { TAKES_TAKE_QUEUED,      TRUE,  FALSE, FALSE,  FALSE, FALSE, FALSE },
    { TAKES_TAKE_RUNNING,     TRUE,  FALSE, FALSE,  FALSE, FALSE, FALSE },
    { TAKES_TAKE_DOWNLOADING, TRUE,  FALSE, FALSE,  FALSE, FALSE, FALSE },
    { TAKES_TAKE_READY,       FALSE, FALSE, FALSE,  TRUE,  TRUE,  TRUE  },
    { TAKES_TAKE_FAILED,      FALSE, TRUE,  FALSE,  FALSE, TRUE,  FALSE },
    { TAKES_TAKE_CANCELED,    FALSE, TRUE,  FALSE,  FALSE, TRUE,  FALSE },
    { TAKES_TAKE_UNKNOWN,     FALSE, FALSE, TRUE,   FALSE, TRUE,  FALSE },
  };
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  TakesShot *opening;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  registry = make_registry (NULL);
  engine = attach_engine (fixture, registry);
  opening = takes_project_get_shot (fixture->project, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ButtonCase *c = &cases[i];
      TakesTake *take = add_take (opening, c->state);
      TakesTakeCard *card;

      settle ();
      card = card_for (fixture, take);
      g_assert_nonnull (card);

      g_test_message ("state %s", takes_take_state_to_string (c->state));
      g_assert_cmpint (card_shows (card, "cancel_button"), ==, c->cancel);
      g_assert_cmpint (card_shows (card, "retry_button"), ==, c->retry);
      g_assert_cmpint (card_shows (card, "unknown_box"), ==, c->unknown);
      g_assert_cmpint (card_shows (card, "unknown_label"), ==, c->unknown);
      g_assert_cmpint (card_shows (card, "pick_button"), ==, c->pick);
      g_assert_cmpint (card_shows (card, "delete_button"), ==, c->delete);
      g_assert_cmpint (card_shows (card, "rating_box"), ==, c->rating);
      g_assert_true (card_shows (card, "details_button"));

      /* Shown means usable */
      if (c->cancel)
        g_assert_true (gtk_widget_is_sensitive (card_child (card, "cancel_button")));
      if (c->retry)
        g_assert_true (gtk_widget_is_sensitive (card_child (card, "retry_button")));
      if (c->unknown)
        {
          g_assert_true (gtk_widget_is_sensitive (card_child (card, "check_again_button")));
          g_assert_true (gtk_widget_is_sensitive (card_child (card, "submit_anyway_button")));
          g_assert_nonnull (strstr (card_text (card, "unknown_label"), "cost twice"));
        }
      if (c->pick)
        g_assert_true (gtk_widget_is_sensitive (card_child (card, "pick_button")));
      if (c->delete)
        g_assert_true (gtk_widget_is_sensitive (card_child (card, "delete_button")));
    }
}

static void
test_card_delete_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  TakesShot *opening;
  TakesTake *take;
  g_autoptr(TakesTake) kept = NULL;
  TakesTakeCard *card;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);
  take = add_take (opening, TAKES_TAKE_READY);
  kept = g_object_ref (take);
  add_take (opening, TAKES_TAKE_FAILED);
  settle ();
  g_assert_cmpuint (n_cards (fixture), ==, 2);

  card = card_for (fixture, take);
  click (card_child (card, "delete_button"));
  settle ();

  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (opening)), ==, 1);
  g_assert_null (takes_shot_find_take (opening, takes_take_get_id (kept)));
  g_assert_null (card_for (fixture, kept));
  g_assert_cmpuint (n_cards (fixture), ==, 1);
  g_assert_cmpstr (takes_history_get_undo_label (fixture->history), ==, "Delete Take");

  g_assert_true (takes_history_undo (fixture->history));
  settle ();

  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (opening)), ==, 2);
  card = card_for (fixture, kept);
  g_assert_nonnull (card);
  g_assert_cmpuint (takes_take_card_get_number (card), ==, 1);
  g_assert_cmpuint (n_cards (fixture), ==, 2);

  g_assert_true (takes_history_redo (fixture->history));
  g_assert_null (card_for (fixture, kept));
}

static GtkWidget *
star (TakesTakeCard *card,
      guint          n)
{
  GtkWidget *child = gtk_widget_get_first_child (card_child (card, "rating_box"));

  for (guint i = 1; i < n && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);

  g_assert_true (GTK_IS_TOGGLE_BUTTON (child));

  return child;
}

static void
test_card_pick_rate (Fixture       *fixture,
                     gconstpointer  data)
{
  TakesShot *opening;
  TakesTake *first, *second;
  TakesTakeCard *card1, *card2;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);
  first = add_take (opening, TAKES_TAKE_READY);
  second = add_take (opening, TAKES_TAKE_READY);
  settle ();
  card1 = card_for (fixture, first);
  card2 = card_for (fixture, second);

  g_assert_false (card_shows (card2, "picked_badge"));
  click (card_child (card2, "pick_button"));
  g_assert_cmpstr (takes_shot_get_picked_take_id (opening), ==, takes_take_get_id (second));
  g_assert_true (card_shows (card2, "picked_badge"));
  g_assert_false (card_shows (card2, "pick_button"));
  g_assert_false (card_shows (card1, "picked_badge"));
  g_assert_true (card_shows (card1, "pick_button"));

  /* Four stars, then the fourth again takes the rating away */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star (card1, 4)), TRUE);
  g_assert_cmpint (takes_take_get_rating (first), ==, 4);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star (card1, 1))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star (card1, 4))));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star (card1, 5))));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star (card1, 2)), FALSE);
  g_assert_cmpint (takes_take_get_rating (first), ==, 2);

  /* Each is its own undo step */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpint (takes_take_get_rating (first), ==, 4);
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpint (takes_take_get_rating (first), ==, 0);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star (card1, 1))));
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_null (takes_shot_get_picked_take_id (opening));
  g_assert_false (card_shows (card2, "picked_badge"));
  g_assert_true (card_shows (card2, "pick_button"));
}

static GtkWidget *
find_backend_widget (GtkWidget  *root,
                     GType       type,
                     const char *backend_id)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (root), "takes-backend-id"), backend_id) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_backend_widget (child, type, backend_id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
panel_child (Fixture    *fixture,
             const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (get_panel (fixture)),
                                                    TAKES_TYPE_GENERATE_PANEL, name));
}

static void
test_panel_backends (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  TakesGeneratePanel *panel;
  GtkWidget *animatic_check, *paid_check, *animatic_spin, *paid_row, *models;
  g_auto(GStrv) ids = NULL;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  registry = make_registry (NULL);
  engine = attach_engine (fixture, registry);
  panel = get_panel (fixture);
  settle ();

  animatic_check = find_backend_widget (GTK_WIDGET (panel), GTK_TYPE_CHECK_BUTTON, "animatic");
  paid_check = find_backend_widget (GTK_WIDGET (panel), GTK_TYPE_CHECK_BUTTON, "uitest");
  animatic_spin = find_backend_widget (GTK_WIDGET (panel), GTK_TYPE_SPIN_BUTTON, "animatic");
  g_assert_nonnull (animatic_check);
  g_assert_nonnull (paid_check);
  g_assert_nonnull (animatic_spin);

  /* The animatic is ticked by default and works offline */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (animatic_check)));
  g_assert_true (gtk_widget_is_sensitive (animatic_check));
  g_assert_true (takes_generate_panel_get_can_generate (panel));
  g_assert_true (gtk_widget_is_sensitive (panel_child (fixture, "generate_button")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel_child (fixture, "cost_label"))), ==,
                   "Estimated cost: $0.00 (offline)");

  /* Without an account: listed, not tickable, and says where to fix it */
  paid_row = gtk_widget_get_ancestor (paid_check, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (paid_row);
  g_assert_false (gtk_widget_is_sensitive (paid_check));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (paid_row)), ==,
                   "Set up in Preferences");
  takes_generate_panel_set_backend_active (panel, "uitest", TRUE);
  ids = takes_generate_panel_dup_backend_ids (panel);
  g_assert_cmpstrv (ids, ((const char *[]) { "animatic", NULL }));
  g_clear_pointer (&ids, g_strfreev);

  /* Takes per backend, 1 to 8 */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (animatic_spin), 3);
  g_assert_cmpuint (takes_generate_panel_get_n_takes (panel, "animatic"), ==, 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (animatic_spin), 20);
  g_assert_cmpuint (takes_generate_panel_get_n_takes (panel, "animatic"), ==, 8);

  /* Unticking the only backend leaves nothing to generate */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (animatic_check), FALSE);
  g_assert_false (takes_generate_panel_get_can_generate (panel));
  g_assert_false (gtk_widget_is_sensitive (panel_child (fixture, "generate_button")));

  /* Given an account, the paid backend can be ticked, has a model
   * choice, and its price shows */
  takes_backend_set_credential (takes_backend_registry_lookup (registry, "uitest"),
                                "TAKES_UITEST_API_KEY", "test-key");
  takes_generate_panel_refresh (panel);
  g_assert_true (gtk_widget_is_sensitive (paid_check));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (paid_check)));
  g_assert_true (takes_generate_panel_get_can_generate (panel));
  models = find_descendant (paid_row, GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (models);
  g_assert_true (gtk_widget_get_visible (models));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (models), 1);
  g_assert_cmpstr (takes_generate_panel_get_model (panel, "uitest"), ==, "best");
  /* 5 s at $0.50 a second */
  g_assert_cmpfloat_with_epsilon (takes_generate_panel_estimate (panel), 2.5, 1e-9);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel_child (fixture, "cost_label"))), ==,
                   "Estimated cost: $2.50");
  takes_history_set_double (fixture->history, takes_project_get_shot (fixture->project, 0),
                            "duration", 2.0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel_child (fixture, "cost_label"))), ==,
                   "Estimated cost: $1.00");

  takes_backend_set_credential (takes_backend_registry_lookup (registry, "uitest"),
                                "TAKES_UITEST_API_KEY", NULL);
  reset_generate_settings ();
}

static void
test_panel_error_inline (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  GtkWidget *status;
  TakesShot *opening;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  registry = make_registry (NULL);
  engine = attach_engine (fixture, registry);
  opening = takes_project_get_shot (fixture->project, 0);
  status = panel_child (fixture, "status_label");
  g_assert_false (gtk_widget_get_visible (status));

  /* Never saved: there is no media folder for the takes */
  click (panel_child (fixture, "generate_button"));
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "Save"));
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (opening)), ==, 0);

  /* Another shot starts with a clean slate */
  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 1);
  g_assert_false (gtk_widget_get_visible (status));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static char *
save_in_temp_dir (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("takes-ui-generate-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "Film.takes", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (takes_project_save (fixture->project, file, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&dir);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done holds. Bounded so a broken engine fails
 * the test instead of hanging it; the bound is generous because machines
 * are shared and slow. */
static gboolean
wait_for (gboolean (*done) (gpointer data),
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      guint wakeup = g_timeout_add (20, keep_waking, NULL);

      g_main_context_iteration (NULL, TRUE);
      g_source_remove (wakeup);
    }

  return done (data);
}

static gboolean
all_takes_final (gpointer data)
{
  GListModel *takes = takes_shot_get_takes (data);
  guint n_items = g_list_model_get_n_items (takes);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (takes, i);

      if (takes_take_state_is_in_flight (takes_take_get_state (take)))
        return FALSE;
    }

  return n_items > 0;
}

static gboolean
engine_idle (gpointer data)
{
  return takes_job_engine_get_n_active (data) == 0;
}

static void
test_panel_generate_animatic (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *work_dir = NULL;
  g_autoptr(GFile) media = NULL;
  TakesShot *opening;
  TakesTake *take;
  TakesTakeCard *card;
  GtkWidget *status;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  opening = takes_project_get_shot (fixture->project, 0);
  takes_shot_set_duration (opening, 1.0);
  dir = save_in_temp_dir (fixture);
  work_dir = g_build_filename (dir, "animatic-work", NULL);
  registry = make_registry (work_dir);
  engine = attach_engine (fixture, registry);
  takes_generate_panel_set_n_takes (get_panel (fixture), "animatic", 2);
  status = panel_child (fixture, "status_label");

  /* What Ctrl+Return and the button do */
  click (panel_child (fixture, "generate_button"));
  g_assert_false (gtk_widget_get_visible (status));

  /* The takes are there at once, in flight */
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (opening)), ==, 2);
  take = g_list_model_get_item (takes_shot_get_takes (opening), 0);
  g_object_unref (take);
  settle ();
  card = card_for (fixture, take);
  g_assert_nonnull (card);
  g_assert_cmpstr (takes_take_get_backend (take), ==, "animatic");

  g_assert_true (wait_for (all_takes_final, opening));
  settle ();

  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpstr (card_text (card, "state_label"), ==, "Ready");
  g_assert_false (card_shows (card, "progress_bar"));
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "1.0 s"));
  g_assert_nonnull (strstr (card_text (card, "facts_label"), "$0.00"));
  media = takes_project_resolve (fixture->project, takes_take_get_media (take));
  g_assert_true (g_file_query_exists (media, NULL));

  /* The first ready take is picked for the shot */
  g_assert_nonnull (takes_shot_get_picked_take_id (opening));
  {
    TakesTake *picked = takes_shot_get_picked_take (opening);
    TakesTakeCard *picked_card = card_for (fixture, picked);

    g_assert_true (card_shows (picked_card, "picked_badge"));
  }

  /* Only one card plays at a time (with GTK's media module; without it
   * nothing plays and the thumbnail stays) */
  {
    TakesTake *other = g_list_model_get_item (takes_shot_get_takes (opening), 1);
    TakesTakeCard *other_card = card_for (fixture, other);

    g_object_unref (other);
    takes_take_card_play (card, TRUE);
    takes_take_card_play (other_card, TRUE);
    g_assert_false (takes_take_card_get_playing (card));
    takes_take_card_stop (other_card);
    g_assert_false (takes_take_card_get_playing (other_card));
  }

  g_assert_true (wait_for (engine_idle, engine));
  takes_job_engine_shutdown (engine);
  takes_shot_editor_set_engine (TAKES_SHOT_EDITOR (fixture->editor), NULL);
  remove_tree (dir);
}

static void
test_panel_generate_all (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *work_dir = NULL;
  TakesShot *gull;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  for (guint i = 0; i < takes_project_get_n_shots (fixture->project); i++)
    takes_shot_set_duration (takes_project_get_shot (fixture->project, i), 1.0);
  gull = takes_project_get_shot (fixture->project, 1);
  add_take (gull, TAKES_TAKE_READY);
  add_take (takes_project_get_shot (fixture->project, 2), TAKES_TAKE_FAILED);
  dir = save_in_temp_dir (fixture);
  work_dir = g_build_filename (dir, "animatic-work", NULL);
  registry = make_registry (work_dir);
  engine = attach_engine (fixture, registry);

  g_assert_true (takes_shot_editor_generate_all (TAKES_SHOT_EDITOR (fixture->editor), &error));
  g_assert_no_error (error);

  /* The shots without a usable take got one; the gull kept what it had */
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (takes_project_get_shot (fixture->project, 0))), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (gull)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (takes_project_get_shot (fixture->project, 2))), ==, 2);

  /* Again: nothing left to do */
  g_assert_true (takes_shot_editor_generate_all (TAKES_SHOT_EDITOR (fixture->editor), &error));
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (takes_project_get_shot (fixture->project, 0))), ==, 1);
  g_assert_true (gtk_widget_get_visible (panel_child (fixture, "status_label")));

  g_assert_true (wait_for (engine_idle, engine));
  takes_job_engine_shutdown (engine);
  takes_shot_editor_set_engine (TAKES_SHOT_EDITOR (fixture->editor), NULL);
  remove_tree (dir);
}

/* A real clip to play in @dir, as "take.mp4": 160x90, half a second at
 * 24 fps, no sound. */
static void
make_clip (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "take.mp4", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  description = g_strdup_printf ("videotestsrc num-buffers=12 "
                                 "! video/x-raw,width=160,height=90,framerate=24/1 "
                                 "! x264enc speed-preset=ultrafast ! h264parse "
                                 "! mp4mux ! filesink location=\"%s\"", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static TakesTake *
add_playable_take (TakesShot  *shot,
                   const char *media)
{
  TakesTake *take = add_take (shot, TAKES_TAKE_READY);

  takes_take_set_media (take, media);

  return take;
}

static gboolean
compare_enabled (Fixture *fixture)
{
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (get_gallery (fixture)),
                                                                 TAKES_TYPE_TAKE_GALLERY,
                                                                 "compare_button"));

  gboolean can_compare = FALSE;

  g_assert_true (gtk_widget_get_visible (button));
  /* The property the window's Compare (Ctrl+K) follows says the same */
  g_object_get (get_gallery (fixture), "can-compare", &can_compare, NULL);
  g_assert_cmpint (can_compare, ==, takes_take_gallery_can_compare (get_gallery (fixture)));

  return gtk_widget_is_sensitive (button) &&
         takes_take_gallery_can_compare (get_gallery (fixture));
}

static void
test_gallery_select_compare (Fixture       *fixture,
                             gconstpointer  data)
{
  TakesShot *opening;
  TakesTake *takes[6];
  TakesTake *failed;
  g_autoptr(GPtrArray) selection = NULL;

  if (!have_display)
    return skip_without_display ();

  opening = takes_project_get_shot (fixture->project, 0);

  /* One take to watch is nothing to compare */
  g_assert_false (compare_enabled (fixture));
  takes[0] = add_playable_take (opening, "take-1.mp4");
  failed = add_take (opening, TAKES_TAKE_FAILED);
  settle ();
  g_assert_false (compare_enabled (fixture));
  g_assert_null (takes_shot_editor_compare (TAKES_SHOT_EDITOR (fixture->editor)));

  /* Two ready takes: Compare takes them with nothing selected */
  takes[1] = add_playable_take (opening, "take-2.mp4");
  settle ();
  g_assert_true (compare_enabled (fixture));
  g_assert_true (card_shows (card_for (fixture, takes[0]), "select_check"));
  g_assert_false (card_shows (card_for (fixture, failed), "select_check"));

  /* One ticked is half a comparison; the second enables Compare */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (card_child (card_for (fixture, takes[1]),
                                                             "select_check")),
                                TRUE);
  g_assert_true (takes_take_card_get_selected (card_for (fixture, takes[1])));
  g_assert_true (gtk_widget_has_css_class (card_child (card_for (fixture, takes[1]), "card_box"),
                                           "selected"));
  g_assert_false (compare_enabled (fixture));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (get_gallery (fixture)),
                                                                                          TAKES_TYPE_TAKE_GALLERY,
                                                                                          "summary_label"))),
                            "1 selected"));
  takes_take_card_set_selected (card_for (fixture, takes[0]), TRUE);
  g_assert_true (compare_enabled (fixture));

  /* A failed take cannot be selected */
  takes_take_card_set_selected (card_for (fixture, failed), TRUE);
  g_assert_false (takes_take_card_get_selected (card_for (fixture, failed)));

  /* In the shot's order, whatever the order of ticking */
  selection = takes_take_gallery_dup_selection (get_gallery (fixture));
  g_assert_cmpuint (selection->len, ==, 2);
  g_assert_true (g_ptr_array_index (selection, 0) == takes[0]);
  g_assert_true (g_ptr_array_index (selection, 1) == takes[1]);
  g_clear_pointer (&selection, g_ptr_array_unref);

  /* Four at most: the fifth tick is refused */
  for (guint i = 2; i < G_N_ELEMENTS (takes); i++)
    {
      g_autofree char *media = g_strdup_printf ("take-%u.mp4", i + 1);

      takes[i] = add_playable_take (opening, media);
    }
  settle ();
  for (guint i = 2; i < G_N_ELEMENTS (takes); i++)
    takes_take_gallery_set_selected (get_gallery (fixture), takes[i], TRUE);
  selection = takes_take_gallery_dup_selection (get_gallery (fixture));
  g_assert_cmpuint (selection->len, ==, 4);
  g_assert_false (takes_take_card_get_selected (card_for (fixture, takes[4])));
  g_assert_false (takes_take_card_get_selected (card_for (fixture, takes[5])));
  g_assert_true (compare_enabled (fixture));
  g_clear_pointer (&selection, g_ptr_array_unref);

  /* A selected take that stops being ready leaves the selection */
  takes_take_set_state (takes[0], TAKES_TAKE_FAILED);
  g_assert_false (takes_take_card_get_selected (card_for (fixture, takes[0])));
  selection = takes_take_gallery_dup_selection (get_gallery (fixture));
  g_assert_cmpuint (selection->len, ==, 3);
  g_clear_pointer (&selection, g_ptr_array_unref);

  takes_take_gallery_unselect_all (get_gallery (fixture));
  selection = takes_take_gallery_dup_selection (get_gallery (fixture));
  g_assert_cmpuint (selection->len, ==, 0);
  g_assert_true (compare_enabled (fixture));

  /* Another shot starts with nothing selected and nothing to compare */
  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 1);
  settle ();
  g_assert_false (compare_enabled (fixture));
}

static gboolean
player_prerolled (gpointer data)
{
  return takes_player_get_prerolled (data);
}

static gboolean
player_playing (gpointer data)
{
  return takes_player_get_playing (data);
}

/* The fewest frames any take's picture had painted when playing began */
static void
record_painted_when_playing (TakesPlayer *player,
                             GParamSpec  *pspec,
                             guint64     *painted)
{
  if (!takes_player_get_playing (player) || *painted != 0)
    return;

  *painted = G_MAXUINT64;
  for (guint i = 0; i < takes_player_get_n_sources (player); i++)
    {
      TakesVideoSink *sink = TAKES_VIDEO_SINK (takes_player_get_video_sink (player, i));

      *painted = MIN (*painted,
                      takes_video_paintable_get_n_painted (takes_video_sink_get_paintable (sink)));
    }
}

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (fixture->editor, TAKES_TYPE_SHOT_EDITOR, name);

  g_assert_nonnull (child);

  return GTK_WIDGET (child);
}

static void
test_editor_player (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = NULL;
  const char *clip = "take.mp4";
  TakesPlayerView *view;
  TakesPlayer *player;
  TakesShot *opening;
  TakesTake *first, *second;
  TakesTakeCard *card1, *card2;

  if (!have_display)
    return skip_without_display ();

  /* Saved, so the take's file is found beside the project */
  dir = save_in_temp_dir (fixture);
  make_clip (dir);

  view = takes_shot_editor_get_player_view (TAKES_SHOT_EDITOR (fixture->editor));
  player = takes_player_view_get_player (view);
  opening = takes_project_get_shot (fixture->project, 0);

  /* No take to watch: no player */
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "player_clamp")));
  g_assert_null (takes_player_view_get_take (view));

  first = add_playable_take (opening, clip);
  second = add_playable_take (opening, clip);
  settle ();

  /* The first ready take shows up as soon as there is one */
  g_assert_true (takes_player_view_get_take (view) == first);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "player_clamp")));

  /* Selecting the shot shows its picked take, paused on its first frame */
  takes_shot_set_picked_take_id (opening, takes_take_get_id (second));
  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 1);
  settle ();
  g_assert_null (takes_player_view_get_take (view));
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "player_clamp")));
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, 0);

  takes_shot_list_select (TAKES_SHOT_LIST (fixture->list), 0);
  settle ();
  g_assert_true (takes_player_view_get_take (view) == second);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "player_clamp")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_child (fixture, "player_title_label"))),
                   ==, "Take 2");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (editor_child (fixture,
                                                                         "player_subtitle_label"))),
                            "Picked"));
  g_assert_true (wait_for (player_prerolled, player));
  g_assert_false (takes_player_get_playing (player));
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, 1);

  /* Play on a card plays that take in the player, not in the card */
  card1 = card_for (fixture, first);
  card2 = card_for (fixture, second);
  gtk_widget_activate_action (GTK_WIDGET (card1), "take.play", NULL);
  g_assert_true (takes_player_view_get_take (view) == first);
  g_assert_true (takes_player_get_playing (player));
  g_assert_false (takes_take_card_get_playing (card1));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor_child (fixture, "player_title_label"))),
                   ==, "Take 1");

  /* Starting the player silences a hover preview */
  takes_player_pause (player);
  takes_take_card_play (card2, TRUE);
  takes_player_play (player);
  g_assert_false (takes_take_card_get_playing (card2));

  /* What the person chose stays when another take is picked */
  takes_player_pause (player);
  takes_shot_set_picked_take_id (opening, takes_take_get_id (second));
  g_assert_true (takes_player_view_get_take (view) == first);

  /* Comparing takes the sound from the player, and the two take turns */
  {
    guint64 painted_when_playing = 0;
    TakesCompareView *compare;
    TakesPlayer *compare_player;
    GtkWindow *window;

    takes_player_play (player);
    window = takes_shot_editor_compare (TAKES_SHOT_EDITOR (fixture->editor));
    g_assert_nonnull (window);
    compare = takes_compare_window_get_view (window);
    compare_player = takes_compare_view_get_player (compare);
    g_assert_cmpuint (takes_player_get_n_sources (compare_player), ==, 2);
    g_signal_connect (compare_player, "notify::playing",
                      G_CALLBACK (record_painted_when_playing), &painted_when_playing);
    /* The editor's player stops at once; the comparison starts playing
     * as soon as its cells show their first frames */
    g_assert_false (takes_player_get_playing (player));
    g_assert_true (wait_for (player_playing, compare_player));
    g_assert_false (takes_player_get_playing (player));
    /* ... and by then, every cell had shown its first frame */
    g_assert_cmpuint (painted_when_playing, >, 0);

    takes_player_play (player);
    g_assert_false (takes_player_get_playing (compare_player));
    takes_player_play (compare_player);
    g_assert_false (takes_player_get_playing (player));

    /* The two pictures change frame together: each new frame waits for
     * the other take's, or half a frame period at most */
    takes_player_pause (compare_player);
    settle ();
    {
      TakesVideoSink *sink_a = TAKES_VIDEO_SINK (takes_player_get_video_sink (compare_player, 0));
      TakesVideoSink *sink_b = TAKES_VIDEO_SINK (takes_player_get_video_sink (compare_player, 1));
      TakesVideoPaintable *a = takes_video_sink_get_paintable (sink_a);
      TakesVideoPaintable *b = takes_video_sink_get_paintable (sink_b);
      g_autoptr(GdkPixbuf) pixels = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 4);
      g_autoptr(GdkTexture) frame_a = gdk_texture_new_for_pixbuf (pixels);
      g_autoptr(GdkTexture) frame_b = gdk_texture_new_for_pixbuf (pixels);
      const guint64 pts = 5 * GST_SECOND;

      g_assert_true (takes_video_paintable_get_held (a));
      g_assert_true (takes_video_paintable_get_held (b));

      takes_video_paintable_set_texture (a, frame_a, 1.0);
      g_signal_emit_by_name (sink_a, "frame-shown", pts);
      g_assert_false (takes_video_paintable_get_texture (a) == frame_a);
      takes_video_paintable_set_texture (b, frame_b, 1.0);
      g_signal_emit_by_name (sink_b, "frame-shown", pts);
      g_assert_true (takes_video_paintable_get_texture (a) == frame_a);
      g_assert_true (takes_video_paintable_get_texture (b) == frame_b);
      g_assert_true (takes_video_paintable_get_held (a));

      /* A take whose frame does not come holds the other back briefly */
      takes_video_paintable_set_texture (a, frame_b, 1.0);
      g_signal_emit_by_name (sink_a, "frame-shown", pts + GST_SECOND);
      g_assert_true (takes_video_paintable_get_texture (a) == frame_a);
      settle ();
      g_assert_true (takes_video_paintable_get_texture (a) == frame_b);
    }

    gtk_window_destroy (window);
    settle ();
  }

  /* Hidden, the player lets its pipeline go; shown, it prerolls again,
   * paused */
  gtk_widget_set_visible (fixture->editor, FALSE);
  settle ();
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, 0);
  gtk_widget_set_visible (fixture->editor, TRUE);
  settle ();
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, 1);
  g_assert_true (takes_player_view_get_take (view) == first);
  g_assert_true (wait_for (player_prerolled, player));
  g_assert_false (takes_player_get_playing (player));

  /* The shown take going away brings the picked one back */
  takes_shot_remove_take (opening, first);
  settle ();
  g_assert_true (takes_player_view_get_take (view) == second);

  takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (fixture->editor), NULL, NULL);
  g_assert_cmpuint (takes_player_get_n_sources (player), ==, 0);
  remove_tree (dir);
}


/* ------------------------------------------------------------------ */
/* Per-backend options                                                */

static GtkWidget *
find_option (GtkWidget  *root,
             const char *option)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (root), "takes-option"), option) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_option (child, option);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A collapsed expander keeps its child out of the widget tree */
static void
expand_all (GtkWidget *root)
{
  if (GTK_IS_EXPANDER (root))
    gtk_expander_set_expanded (GTK_EXPANDER (root), TRUE);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    expand_all (child);
}

/* The shot's options for @backend_id, or NULL */
static JsonObject *
shot_params (TakesShot  *shot,
             const char *backend_id)
{
  JsonObject *all = takes_shot_get_backend_params (shot);

  if (all == NULL || !json_object_has_member (all, backend_id))
    return NULL;

  return json_object_get_object_member (all, backend_id);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_panel_backend_options (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  const TakesBackendModel *workflows = takes_comfyui_get_builtin_workflows ();
  TakesGeneratePanel *panel;
  TakesShot *shot, *other;
  GtkWidget *mode, *camera, *amount, *size, *seconds, *workflow, *expander;
  JsonObject *kling, *camera_control, *config;
  const char *screenshot = g_getenv ("TAKES_TEST_SCREENSHOT");

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  registry = make_registry (NULL);
  engine = attach_engine (fixture, registry);
  panel = get_panel (fixture);
  takes_generate_panel_set_history (panel, fixture->history);
  shot = takes_generate_panel_get_shot (panel);
  g_assert_nonnull (shot);
  settle ();
  expand_all (GTK_WIDGET (panel));

  mode = find_option (GTK_WIDGET (panel), "kling-mode");
  camera = find_option (GTK_WIDGET (panel), "kling-camera");
  amount = find_option (GTK_WIDGET (panel), "kling-amount");
  size = find_option (GTK_WIDGET (panel), "sora-size");
  seconds = find_option (GTK_WIDGET (panel), "sora-seconds");
  workflow = find_option (GTK_WIDGET (panel), "comfyui-workflow");
  g_assert_nonnull (mode);
  g_assert_nonnull (camera);
  g_assert_nonnull (amount);
  g_assert_nonnull (size);
  g_assert_nonnull (seconds);
  g_assert_nonnull (workflow);
  g_assert_null (shot_params (shot, "kling"));

  /* Professional mode lands in the shot, and undo takes it away */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (mode), 1);
  kling = shot_params (shot, "kling");
  g_assert_nonnull (kling);
  g_assert_cmpuint (json_object_get_size (kling), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (kling, "mode"), ==, "pro");
  g_assert_cmpstr (takes_history_get_undo_label (fixture->history), ==, "Change Generator Settings");
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_null (shot_params (shot, "kling"));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (mode)), ==, 0);
  g_assert_true (takes_history_redo (fixture->history));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (mode)), ==, 1);

  /* A simple camera move names one axis */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (camera), 1);
  camera_control = json_object_get_object_member (shot_params (shot, "kling"), "camera_control");
  g_assert_cmpstr (json_object_get_string_member (camera_control, "type"), ==, "simple");
  gtk_range_set_value (GTK_RANGE (amount), -7);
  camera_control = json_object_get_object_member (shot_params (shot, "kling"), "camera_control");
  config = json_object_get_object_member (camera_control, "config");
  g_assert_cmpfloat (json_object_get_double_member (config, "horizontal"), ==, -7);
  g_assert_cmpfloat (json_object_get_double_member (config, "zoom"), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (camera), 2);
  camera_control = json_object_get_object_member (shot_params (shot, "kling"), "camera_control");
  g_assert_cmpstr (json_object_get_string_member (camera_control, "type"), ==, "down_back");
  g_assert_false (json_object_has_member (camera_control, "config"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (camera), 0);
  g_assert_false (json_object_has_member (shot_params (shot, "kling"), "camera_control"));

  /* Sora-compatible sizes and seconds as the API spells them */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (size), 1);
  g_assert_cmpstr (json_object_get_string_member (shot_params (shot, "sora"), "size"), ==, "1280x720");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (seconds), 2);
  g_assert_cmpstr (json_object_get_string_member (shot_params (shot, "sora"), "seconds"), ==, "8");
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_false (json_object_has_member (shot_params (shot, "sora"), "seconds"));
  g_assert_cmpstr (json_object_get_string_member (shot_params (shot, "sora"), "size"), ==, "1280x720");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (seconds)), ==, 0);
  /* Other backends' options are untouched */
  g_assert_cmpstr (json_object_get_string_member (shot_params (shot, "kling"), "mode"), ==, "pro");

  /* A built-in ComfyUI workflow by its id */
  g_assert_nonnull (workflows[0].id);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (workflow))), >, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (workflow), 1);
  g_assert_cmpstr (json_object_get_string_member (shot_params (shot, "comfyui"), "workflow"), ==,
                   workflows[0].id);

  /* Another shot shows its own options */
  other = takes_project_get_shot (fixture->project, 1);
  takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (fixture->editor), other, fixture->history);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (mode)), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (size)), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (workflow)), ==, 0);
  takes_shot_editor_set_shot (TAKES_SHOT_EDITOR (fixture->editor), shot, fixture->history);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (mode)), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (size)), ==, 1);

  /* The options show under a ticked backend */
  takes_backend_set_credential (takes_backend_registry_lookup (registry, "kling"),
                                "KLING_ACCESS_KEY", "test-access");
  takes_backend_set_credential (takes_backend_registry_lookup (registry, "kling"),
                                "KLING_SECRET_KEY", "test-secret");
  takes_generate_panel_set_backend_active (panel, "kling", TRUE);
  takes_generate_panel_refresh (panel);
  expander = gtk_widget_get_ancestor (mode, GTK_TYPE_EXPANDER);
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  settle ();
  g_assert_true (gtk_widget_get_mapped (mode));

  if (screenshot != NULL)
    save_screenshot (GTK_WIDGET (panel), screenshot);

  takes_backend_set_credential (takes_backend_registry_lookup (registry, "kling"),
                                "KLING_ACCESS_KEY", NULL);
  takes_backend_set_credential (takes_backend_registry_lookup (registry, "kling"),
                                "KLING_SECRET_KEY", NULL);
  reset_generate_settings ();
}

/* An API-format workflow without [takes:…] tags */
static const char untagged_workflow[] =
  "{"
  "\"1\":{\"class_type\":\"CheckpointLoaderSimple\",\"inputs\":{\"ckpt_name\":\"model.safetensors\"}},"
  "\"2\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"a boat\",\"clip\":[\"1\",1]}},"
  "\"3\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"blurry\",\"clip\":[\"1\",1]}},"
  "\"4\":{\"class_type\":\"EmptyHunyuanLatentVideo\",\"inputs\":{\"width\":832,\"height\":480,\"length\":33,\"batch_size\":1}},"
  "\"5\":{\"class_type\":\"KSampler\",\"inputs\":{\"model\":[\"1\",0],\"seed\":7,\"steps\":20,\"cfg\":6,"
  "      \"sampler_name\":\"euler\",\"scheduler\":\"simple\",\"denoise\":1,"
  "      \"positive\":[\"2\",0],\"negative\":[\"3\",0],\"latent_image\":[\"4\",0]}},"
  "\"6\":{\"class_type\":\"VAEDecode\",\"inputs\":{\"samples\":[\"5\",0],\"vae\":[\"1\",2]}},"
  "\"7\":{\"class_type\":\"CreateVideo\",\"inputs\":{\"images\":[\"6\",0],\"fps\":16}},"
  "\"8\":{\"class_type\":\"SaveVideo\",\"inputs\":{\"video\":[\"7\",0],\"filename_prefix\":\"video\","
  "      \"format\":\"auto\",\"codec\":\"auto\"}}"
  "}";

static GtkWidget *
find_role_dropdown (GtkWidget  *root,
                    const char *role)
{
  if (GTK_IS_DROP_DOWN (root) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (root), "takes-role"), role) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_role_dropdown (child, role);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_mapping_dialog_guess (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TakesComfyuiWorkflow) workflow = NULL;
  g_autoptr(JsonObject) mapping = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *prompt;

  if (!have_display)
    return skip_without_display ();

  dir = g_dir_make_tmp ("takes-mapping-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "boat.json", NULL);
  g_file_set_contents (path, untagged_workflow, -1, &error);
  g_assert_no_error (error);

  workflow = takes_comfyui_workflow_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (takes_comfyui_workflow_is_tagged (workflow));

  dialog = takes_workflow_mapping_dialog_new (GTK_WINDOW (fixture->window), workflow);
  gtk_window_present (GTK_WINDOW (dialog));
  settle ();

  /* The guess is shown and is a mapping the workflow accepts */
  mapping = takes_workflow_mapping_dialog_dup_mapping (TAKES_WORKFLOW_MAPPING_DIALOG (dialog));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "prompt"), "node"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "prompt"), "input"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "negative"), "node"), ==, "3");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "seed"), "node"), ==, "5");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mapping, "output"), "node"), ==, "8");
  g_assert_true (takes_workflow_mapping_dialog_validate (TAKES_WORKFLOW_MAPPING_DIALOG (dialog), &error));
  g_assert_no_error (error);

  /* Without a prompt target it is refused */
  prompt = find_role_dropdown (dialog, "prompt");
  g_assert_nonnull (prompt);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (prompt), 0);
  g_assert_false (takes_workflow_mapping_dialog_validate (TAKES_WORKFLOW_MAPPING_DIALOG (dialog), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (takes_workflow_mapping_dialog_accept (TAKES_WORKFLOW_MAPPING_DIALOG (dialog)));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_panel_import_workflow (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TakesBackendRegistry) registry = NULL;
  g_autoptr(TakesJobEngine) engine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(GError) error = NULL;
  TakesGeneratePanel *panel;
  TakesShot *shot;
  JsonObject *comfyui, *mapping;
  GtkWidget *dialog, *workflow;

  if (!have_display)
    return skip_without_display ();

  reset_generate_settings ();
  registry = make_registry (NULL);
  engine = attach_engine (fixture, registry);
  panel = get_panel (fixture);
  takes_generate_panel_set_history (panel, fixture->history);
  shot = takes_generate_panel_get_shot (panel);
  settle ();

  dir = g_dir_make_tmp ("takes-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "boat.json", NULL);
  g_file_set_contents (path, untagged_workflow, -1, &error);
  g_assert_no_error (error);
  broken = g_build_filename (dir, "broken.json", NULL);
  g_file_set_contents (broken, "{\"1\": [", -1, &error);
  g_assert_no_error (error);

  /* A file that is no workflow: said in words, nothing stored */
  g_assert_null (takes_generate_panel_import_workflow (panel, broken));
  g_assert_null (shot_params (shot, "comfyui"));

  /* Untagged: the mapping dialog; accepting stores workflow and mapping
   * (the project is not saved, so the file is used where it is) */
  dialog = takes_generate_panel_import_workflow (panel, path);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  settle ();
  g_assert_true (takes_workflow_mapping_dialog_accept (TAKES_WORKFLOW_MAPPING_DIALOG (dialog)));
  settle ();
  g_assert_null (dialog);
  comfyui = shot_params (shot, "comfyui");
  g_assert_nonnull (comfyui);
  g_assert_cmpstr (json_object_get_string_member (comfyui, "workflow"), ==, path);
  mapping = json_object_get_object_member (comfyui, "mapping");
  g_assert_nonnull (mapping);
  g_assert_true (json_object_has_member (mapping, "prompt"));
  g_assert_true (json_object_has_member (mapping, "output"));

  /* The drop-down offers and shows the imported workflow */
  expand_all (GTK_WIDGET (panel));
  workflow = find_option (GTK_WIDGET (panel), "comfyui-workflow");
  g_assert_nonnull (workflow);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (workflow)), ==,
                    g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (workflow))) - 1);

  /* One undo step takes both away */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_null (shot_params (shot, "comfyui"));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (workflow)), ==, 0);

  g_unlink (path);
  g_unlink (broken);
  g_rmdir (dir);
  reset_generate_settings ();
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      takes_ui_init ();
      /* The app starts GStreamer only when a player needs it; the test
       * makes its clips before that. */
      gst_init (&argc, &argv);
    }

  add_test ("/Takes/UI/ShotList/shows-rows", test_list_shows_rows);
  add_test ("/Takes/UI/ShotList/move-selected", test_list_move);
  add_test ("/Takes/UI/ShotList/delete-and-undo", test_list_delete_undo);
  add_test ("/Takes/UI/ShotList/add-and-duplicate", test_list_add_duplicate);
  add_test ("/Takes/UI/ShotList/row-follows-model", test_row_follows_model);
  add_test ("/Takes/UI/ShotEditor/prompt-through-history", test_editor_prompt_through_history);
  add_test ("/Takes/UI/ShotEditor/fields-and-undo", test_editor_fields);
  add_test ("/Takes/UI/ShotEditor/reference-image-drop", test_editor_reference_drop);
  add_test ("/Takes/UI/TakeGallery/card-per-take", test_gallery_cards);
  add_test ("/Takes/UI/TakeGallery/follows-state", test_gallery_follows_state);
  add_test ("/Takes/UI/TakeCard/buttons-per-state", test_card_buttons);
  add_test ("/Takes/UI/TakeCard/delete-undo", test_card_delete_undo);
  add_test ("/Takes/UI/TakeCard/pick-and-rate-undo", test_card_pick_rate);
  add_test ("/Takes/UI/TakeGallery/select-to-compare", test_gallery_select_compare);
  add_test ("/Takes/UI/ShotEditor/player-shows-picked-take", test_editor_player);
  add_test ("/Takes/UI/GeneratePanel/lists-backends", test_panel_backends);
  add_test ("/Takes/UI/GeneratePanel/error-inline", test_panel_error_inline);
  add_test ("/Takes/UI/GeneratePanel/generate-animatic", test_panel_generate_animatic);
  add_test ("/Takes/UI/GeneratePanel/generate-all", test_panel_generate_all);
  add_test ("/Takes/UI/GeneratePanel/backend-options", test_panel_backend_options);
  add_test ("/Takes/UI/WorkflowMappingDialog/guessed-mapping-valid", test_mapping_dialog_guess);
  add_test ("/Takes/UI/GeneratePanel/import-workflow", test_panel_import_workflow);

  return g_test_run ();
}
