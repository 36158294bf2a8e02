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

#include "takes-history.h"
#include "takes-shot-editor.h"
#include "takes-shot-list.h"
#include "takes-shot-row.h"
#include "takes-ui.h"

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
    }

  add_test ("/Takes/UI/ShotList/shows-rows", test_list_shows_rows);
  add_test ("/Takes/UI/ShotList/move-selected", test_list_move);
  add_test ("/Takes/UI/ShotList/delete-and-undo", test_list_delete_undo);
  add_test ("/Takes/UI/ShotList/add-and-duplicate", test_list_add_duplicate);
  add_test ("/Takes/UI/ShotList/row-follows-model", test_row_follows_model);
  add_test ("/Takes/UI/ShotEditor/prompt-through-history", test_editor_prompt_through_history);
  add_test ("/Takes/UI/ShotEditor/fields-and-undo", test_editor_fields);
  add_test ("/Takes/UI/ShotEditor/reference-image-drop", test_editor_reference_drop);

  return g_test_run ();
}
