/* takes-shot-list.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-shot-list"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "takes-shot-list.h"
#include "takes-shot-row.h"

/* How close to the top or bottom edge a dragged shot scrolls the list */
#define AUTOSCROLL_EDGE 32
#define AUTOSCROLL_STEP 12

struct _TakesShotList
{
  GtkWidget           parent_instance;

  /* template widgets */
  GtkWidget          *content;
  GtkLabel           *count_label;
  GtkStack           *stack;
  GtkScrolledWindow  *scrolled_window;
  GtkListView        *list_view;
  GMenuModel         *context_menu;

  /* owned */
  GtkSingleSelection *selection;
  GtkWidget          *popover;
  TakesHistory       *history;
  TakesProject       *project;
  TakesShot          *selected_shot;

  /* borrowed: the row showing the drop indicator */
  GtkWidget          *drop_row;
};

G_DEFINE_FINAL_TYPE (TakesShotList, takes_shot_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_SHOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
get_n_shots (TakesShotList *self)
{
  return self->project != NULL ? takes_project_get_n_shots (self->project) : 0;
}

static gboolean
get_selected_position (TakesShotList *self,
                       guint         *position)
{
  guint selected;

  if (self->project == NULL)
    return FALSE;

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= get_n_shots (self))
    return FALSE;

  *position = selected;
  return TRUE;
}

static void
update_actions (TakesShotList *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n_shots = get_n_shots (self);
  guint position = 0;
  gboolean has_selection = get_selected_position (self, &position);

  gtk_widget_action_set_enabled (widget, "shots.add", self->history != NULL);
  gtk_widget_action_set_enabled (widget, "shots.duplicate", has_selection);
  gtk_widget_action_set_enabled (widget, "shots.delete", has_selection);
  gtk_widget_action_set_enabled (widget, "shots.menu", has_selection);
  gtk_widget_action_set_enabled (widget, "shots.move-up",
                                 has_selection && position > 0);
  gtk_widget_action_set_enabled (widget, "shots.move-down",
                                 has_selection && position + 1 < n_shots);
}

static void
update_count (TakesShotList *self)
{
  guint n_shots = get_n_shots (self);
  g_autofree char *text = g_strdup_printf ("%u", n_shots);
  g_autofree char *spoken = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u shot",
                                                          "%u shots",
                                                          n_shots),
                                             n_shots);

  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), spoken);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
  gtk_stack_set_visible_child_name (self->stack,
                                    n_shots > 0 || self->project == NULL ? "list" : "empty");
}

static void
on_selected_item_changed (TakesShotList *self)
{
  TakesShot *shot = gtk_single_selection_get_selected_item (self->selection);

  update_actions (self);

  if (g_set_object (&self->selected_shot, shot))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOT]);
}

static void
on_shots_changed (TakesShotList *self)
{
  update_count (self);
  update_actions (self);
}

static TakesShotRow *
find_selected_row (TakesShotList *self)
{
  TakesShot *selected = self->selected_shot;

  if (selected == NULL)
    return NULL;

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (child != NULL && TAKES_IS_SHOT_ROW (child) &&
          takes_shot_row_get_shot (TAKES_SHOT_ROW (child)) == selected)
        return TAKES_SHOT_ROW (child);
    }

  return NULL;
}

static gboolean
list_contains_focus (TakesShotList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view));
}

static gboolean
focus_selected_row_idle (gpointer user_data)
{
  TakesShotList *self = user_data;
  TakesShotRow *row = find_selected_row (self);

  if (row != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));

  return G_SOURCE_REMOVE;
}

/* Keeps the keyboard focus on the selected shot after it moved, so the
 * next Alt+Down, Delete or Menu acts on the same shot. */
static void
focus_selected_row (TakesShotList *self,
                    gboolean       had_focus)
{
  if (!had_focus)
    return;

  /* The list view creates the rows for new positions when it lays out. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20,
                   focus_selected_row_idle,
                   g_object_ref (self),
                   g_object_unref);
}

static void
scroll_to (TakesShotList *self,
           guint          position)
{
  /* "list.scroll-to-item" also moves the keyboard focus to the item when
   * the list has it, so moving a shot with the keyboard can go on. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view),
                              "list.scroll-to-item", "u", position);
}

/* Finds the row under a widget picked inside the list view: either the
 * row itself or one of its children, or the list item around it. */
static TakesShotRow *
find_row (TakesShotList *self,
          GtkWidget     *widget)
{
  for (GtkWidget *w = widget;
       w != NULL && w != GTK_WIDGET (self->list_view);
       w = gtk_widget_get_parent (w))
    {
      GtkWidget *child;

      if (TAKES_IS_SHOT_ROW (w))
        return TAKES_SHOT_ROW (w);

      child = gtk_widget_get_first_child (w);
      if (child != NULL && TAKES_IS_SHOT_ROW (child))
        return TAKES_SHOT_ROW (child);
    }

  return NULL;
}

static gboolean
find_row_position (TakesShotList *self,
                   TakesShotRow  *row,
                   guint         *position)
{
  TakesShot *shot = takes_shot_row_get_shot (row);

  if (shot == NULL || self->project == NULL)
    return FALSE;

  return takes_project_find_shot_position (self->project, shot, position);
}

/* ------------------------------------------------------------------ */
/* Operations                                                         */

static void
read_defaults (double  *duration,
               char   **aspect)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  *duration = TAKES_SHOT_DEFAULT_DURATION;
  *aspect = g_strdup (TAKES_SHOT_DEFAULT_ASPECT);

  /* Tests and uninstalled runs may lack the schema; g_settings_new()
   * would abort then. */
  if (source == NULL)
    return;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return;

  settings = g_settings_new_full (schema, NULL, NULL);

  if (g_settings_schema_has_key (schema, "default-duration"))
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, "default-duration");
      double d = -1;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
        d = g_variant_get_double (value);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
        d = g_variant_get_int32 (value);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
        d = g_variant_get_uint32 (value);

      if (d > 0 && d <= TAKES_SHOT_MAX_DURATION)
        *duration = d;
    }

  if (g_settings_schema_has_key (schema, "default-aspect"))
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, "default-aspect");

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          strchr (g_variant_get_string (value, NULL), ':') != NULL)
        {
          g_free (*aspect);
          *aspect = g_variant_dup_string (value, NULL);
        }
    }
}

static guint
insert_position (TakesShotList *self)
{
  guint position;

  if (get_selected_position (self, &position))
    return position + 1;

  return get_n_shots (self);
}

void
takes_shot_list_add_shot (TakesShotList *self)
{
  g_autoptr(TakesShot) shot = NULL;
  g_autofree char *aspect = NULL;
  double duration;
  guint position;

  g_return_if_fail (TAKES_IS_SHOT_LIST (self));

  if (self->history == NULL)
    return;

  read_defaults (&duration, &aspect);

  shot = takes_shot_new ();
  takes_shot_set_duration (shot, duration);
  takes_shot_set_aspect (shot, aspect);

  position = insert_position (self);
  takes_history_insert_shot (self->history, position, shot);
  takes_shot_list_select (self, position);
}

void
takes_shot_list_duplicate_selected (TakesShotList *self)
{
  g_autoptr(TakesShot) copy = NULL;
  guint position;

  g_return_if_fail (TAKES_IS_SHOT_LIST (self));

  if (self->history == NULL || !get_selected_position (self, &position))
    return;

  copy = takes_shot_duplicate (takes_project_get_shot (self->project, position));
  takes_history_insert_shot (self->history, position + 1, copy);
  takes_shot_list_select (self, position + 1);
}

void
takes_shot_list_delete_selected (TakesShotList *self)
{
  gboolean had_focus;
  guint position;
  guint n_shots;

  g_return_if_fail (TAKES_IS_SHOT_LIST (self));

  if (self->history == NULL || !get_selected_position (self, &position))
    return;

  had_focus = list_contains_focus (self);
  takes_history_remove_shot (self->history, position);

  /* The next shot takes the deleted one's place; at the end, the one
   * before it. */
  n_shots = get_n_shots (self);
  if (n_shots > 0)
    takes_shot_list_select (self, MIN (position, n_shots - 1));
  focus_selected_row (self, had_focus);
}

void
takes_shot_list_move_selected (TakesShotList *self,
                               int            delta)
{
  gboolean had_focus;
  guint position;
  gint64 target;
  guint n_shots;

  g_return_if_fail (TAKES_IS_SHOT_LIST (self));

  if (self->history == NULL || delta == 0 || !get_selected_position (self, &position))
    return;

  n_shots = get_n_shots (self);
  target = CLAMP ((gint64) position + delta, 0, (gint64) n_shots - 1);
  if (target == position)
    return;

  had_focus = list_contains_focus (self);
  takes_history_move_shot (self->history, position, (guint) target);
  takes_shot_list_select (self, (guint) target);
  focus_selected_row (self, had_focus);
}

/* ------------------------------------------------------------------ */
/* Context menu                                                       */

static void
popup_menu_at (TakesShotList *self,
               double         x,
               double         y,
               double         width,
               double         height)
{
  GdkRectangle rect = { (int) x, (int) y, MAX (1, (int) width), MAX (1, (int) height) };

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (self->context_menu);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
popup_menu_for_row (TakesShotList *self,
                    TakesShotRow  *row)
{
  graphene_rect_t bounds;

  if (row != NULL && gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self), &bounds))
    popup_menu_at (self,
                   bounds.origin.x + bounds.size.width / 2,
                   bounds.origin.y + bounds.size.height,
                   1, 1);
  else
    popup_menu_at (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, 0, 1, 1);
}

static void
on_context_click_pressed (TakesShotList   *self,
                          int              n_press,
                          double           x,
                          double           y,
                          GtkGestureClick *gesture)
{
  GtkWidget *picked;
  TakesShotRow *row;
  guint position;
  graphene_point_t point;

  picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  row = find_row (self, picked);
  if (row == NULL || !find_row_position (self, row, &position))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, position);

  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;

  popup_menu_at (self, point.x, point.y, 1, 1);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesShotList *self = TAKES_SHOT_LIST (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  TakesShotRow *row = focus != NULL ? find_row (self, focus) : NULL;
  guint position;

  /* The menu acts on the selection; make the focused row the selection. */
  if (row != NULL && find_row_position (self, row, &position))
    gtk_single_selection_set_selected (self->selection, position);
  else
    row = find_selected_row (self);

  popup_menu_for_row (self, row);
}

/* ------------------------------------------------------------------ */
/* Drag and drop                                                      */

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 TakesShotRow  *row)
{
  TakesShot *shot = takes_shot_row_get_shot (row);

  if (shot == NULL)
    return NULL;

  /* Where the row was grabbed, so the drag icon stays under the pointer */
  g_object_set_data (G_OBJECT (source), "hot-x", GINT_TO_POINTER ((int) x));
  g_object_set_data (G_OBJECT (source), "hot-y", GINT_TO_POINTER ((int) y));

  /* The shot object itself: only this process understands it, so it
   * cannot land as text in an entry by mistake. */
  return gdk_content_provider_new_typed (TAKES_TYPE_SHOT, shot);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               TakesShotRow  *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (row));

  gtk_drag_source_set_icon (source, paintable,
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "hot-x")),
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "hot-y")));
  gtk_widget_add_css_class (GTK_WIDGET (row), "dragging");
}

static void
on_drag_end (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             gpointer       user_data)
{
  /* The row may be gone by now: moving the shot can recycle it. */
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  if (row != NULL)
    gtk_widget_remove_css_class (row, "dragging");
}

static void
clear_drop_indicator (TakesShotList *self)
{
  if (self->drop_row == NULL)
    return;

  gtk_widget_remove_css_class (self->drop_row, "drop-before");
  gtk_widget_remove_css_class (self->drop_row, "drop-after");
  g_object_remove_weak_pointer (G_OBJECT (self->drop_row), (gpointer *) &self->drop_row);
  self->drop_row = NULL;
}

/* The gap a drop at @y lands in: 0 is before the first shot, n after the
 * last. The row under the pointer is returned for the indicator. */
static guint
compute_drop_gap (TakesShotList  *self,
                  double          x,
                  double          y,
                  TakesShotRow  **out_row,
                  gboolean       *out_after)
{
  GtkWidget *list = GTK_WIDGET (self->list_view);
  GtkWidget *picked;
  TakesShotRow *row;
  graphene_rect_t bounds;
  guint position;
  gboolean after;

  *out_row = NULL;
  *out_after = FALSE;

  picked = gtk_widget_pick (list, gtk_widget_get_width (list) / 2.0, y, GTK_PICK_DEFAULT);
  row = find_row (self, picked);
  if (row == NULL || !find_row_position (self, row, &position) ||
      !gtk_widget_compute_bounds (GTK_WIDGET (row), list, &bounds))
    {
      /* Between rows or below the last one: decide by the edge. */
      if (y < gtk_widget_get_height (list) / 2.0 && y < AUTOSCROLL_EDGE)
        return 0;
      return get_n_shots (self);
    }

  after = y > bounds.origin.y + bounds.size.height / 2;
  *out_row = row;
  *out_after = after;

  return after ? position + 1 : position;
}

static void
autoscroll (TakesShotList *self,
            double         y)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double height = gtk_widget_get_height (GTK_WIDGET (self->list_view));
  double value = gtk_adjustment_get_value (adjustment);

  if (y < AUTOSCROLL_EDGE)
    gtk_adjustment_set_value (adjustment, value - AUTOSCROLL_STEP);
  else if (y > height - AUTOSCROLL_EDGE)
    gtk_adjustment_set_value (adjustment, value + AUTOSCROLL_STEP);
}

static GdkDragAction
on_drop_motion (GtkDropTarget *target,
                double         x,
                double         y,
                TakesShotList *self)
{
  TakesShotRow *row;
  gboolean after;

  if (self->history == NULL)
    return 0;

  compute_drop_gap (self, x, y, &row, &after);

  if (GTK_WIDGET (row) != self->drop_row)
    {
      clear_drop_indicator (self);
      if (row != NULL)
        {
          self->drop_row = GTK_WIDGET (row);
          g_object_add_weak_pointer (G_OBJECT (self->drop_row), (gpointer *) &self->drop_row);
        }
    }

  if (self->drop_row != NULL)
    {
      gtk_widget_remove_css_class (self->drop_row, after ? "drop-before" : "drop-after");
      gtk_widget_add_css_class (self->drop_row, after ? "drop-after" : "drop-before");
    }

  autoscroll (self, y);

  return GDK_ACTION_MOVE;
}

static void
on_drop_leave (GtkDropTarget *target,
               TakesShotList *self)
{
  clear_drop_indicator (self);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TakesShotList *self)
{
  TakesShot *shot;
  TakesShotRow *row;
  gboolean after;
  guint from;
  guint gap;
  guint to;

  clear_drop_indicator (self);

  if (self->history == NULL || !G_VALUE_HOLDS (value, TAKES_TYPE_SHOT))
    return FALSE;

  shot = g_value_get_object (value);
  if (shot == NULL || !takes_project_find_shot_position (self->project, shot, &from))
    return FALSE;

  gap = compute_drop_gap (self, x, y, &row, &after);
  to = gap > from ? gap - 1 : gap;
  if (to >= get_n_shots (self))
    to = get_n_shots (self) - 1;

  if (to != from)
    takes_history_move_shot (self->history, from, to);

  takes_shot_list_select (self, to);
  focus_selected_row (self, TRUE);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */

static void
on_list_item_position_changed (GtkListItem  *list_item,
                               GParamSpec   *pspec,
                               TakesShotRow *row)
{
  guint position = gtk_list_item_get_position (list_item);

  if (position != GTK_INVALID_LIST_POSITION)
    takes_shot_row_set_number (row, position + 1);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           TakesShotList            *self)
{
  GtkWidget *row = takes_shot_row_new ();
  GtkDragSource *drag_source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (drag_source, GDK_ACTION_MOVE);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (on_drag_prepare), row);
  g_signal_connect (drag_source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  g_signal_connect (drag_source, "drag-end", G_CALLBACK (on_drag_end), NULL);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag_source));

  /* Shot numbers follow the position, which changes when shots move
   * without the row being bound again. */
  g_signal_connect_object (list_item, "notify::position",
                           G_CALLBACK (on_list_item_position_changed), row, 0);

  gtk_list_item_set_child (list_item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          TakesShotList            *self)
{
  TakesShotRow *row = TAKES_SHOT_ROW (gtk_list_item_get_child (list_item));
  TakesShot *shot = gtk_list_item_get_item (list_item);

  takes_shot_row_set_number (row, gtk_list_item_get_position (list_item) + 1);
  takes_shot_row_bind (row, shot, self->project);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            TakesShotList            *self)
{
  TakesShotRow *row = TAKES_SHOT_ROW (gtk_list_item_get_child (list_item));

  if (GTK_WIDGET (row) == self->drop_row)
    clear_drop_indicator (self);

  takes_shot_row_unbind (row);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

void
takes_shot_list_set_history (TakesShotList *self,
                             TakesHistory  *history)
{
  TakesProject *project;

  g_return_if_fail (TAKES_IS_SHOT_LIST (self));
  g_return_if_fail (!history || TAKES_IS_HISTORY (history));

  if (self->history == history)
    return;

  project = history != NULL ? takes_history_get_project (history) : NULL;
  g_set_object (&self->history, history);
  g_set_object (&self->project, project);

  gtk_single_selection_set_model (self->selection,
                                  project != NULL ? takes_project_get_shots (project) : NULL);

  update_count (self);
  on_selected_item_changed (self);
}

TakesShot *
takes_shot_list_get_selected_shot (TakesShotList *self)
{
  g_return_val_if_fail (TAKES_IS_SHOT_LIST (self), NULL);

  return self->selected_shot;
}

void
takes_shot_list_select (TakesShotList *self,
                        guint          position)
{
  g_return_if_fail (TAKES_IS_SHOT_LIST (self));

  if (position >= get_n_shots (self))
    return;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
}

/* ------------------------------------------------------------------ */
/* Class                                                              */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  takes_shot_list_add_shot (TAKES_SHOT_LIST (widget));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  takes_shot_list_duplicate_selected (TAKES_SHOT_LIST (widget));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  takes_shot_list_delete_selected (TAKES_SHOT_LIST (widget));
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  takes_shot_list_move_selected (TAKES_SHOT_LIST (widget), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  takes_shot_list_move_selected (TAKES_SHOT_LIST (widget), 1);
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              GdkModifierType        modifiers,
              const char            *action_name)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                                          gtk_named_action_new (action_name)));
}

static void
takes_shot_list_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  TakesShotList *self = TAKES_SHOT_LIST (widget);

  gtk_widget_measure (self->content, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
takes_shot_list_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  TakesShotList *self = TAKES_SHOT_LIST (widget);

  gtk_widget_allocate (self->content, width, height, baseline, NULL);

  /* The context menu is our child too and follows us when we move. */
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
takes_shot_list_dispose (GObject *object)
{
  TakesShotList *self = (TakesShotList *)object;

  clear_drop_indicator (self);
  takes_shot_list_set_history (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_SHOT_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->selected_shot);

  G_OBJECT_CLASS (takes_shot_list_parent_class)->dispose (object);
}

static void
takes_shot_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TakesShotList *self = TAKES_SHOT_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_SHOT:
      g_value_set_object (value, self->selected_shot);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_shot_list_class_init (TakesShotListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_shot_list_dispose;
  object_class->get_property = takes_shot_list_get_property;

  widget_class->measure = takes_shot_list_measure;
  widget_class->size_allocate = takes_shot_list_size_allocate;

  properties[PROP_SELECTED_SHOT] =
    g_param_spec_object ("selected-shot", NULL, NULL,
                         TAKES_TYPE_SHOT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-shot-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, content);
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, count_label);
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, list_view);
  gtk_widget_class_bind_template_child (widget_class, TakesShotList, context_menu);

  gtk_widget_class_install_action (widget_class, "shots.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "shots.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "shots.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "shots.move-up", NULL, move_up_action);
  gtk_widget_class_install_action (widget_class, "shots.move-down", NULL, move_down_action);
  gtk_widget_class_install_action (widget_class, "shots.menu", NULL, menu_action);

  gtk_widget_class_set_css_name (widget_class, "shotlist");

  g_type_ensure (TAKES_TYPE_SHOT_ROW);
}

static void
takes_shot_list_init (TakesShotList *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkShortcutController *shortcuts;
  GtkGesture *click;
  GtkDropTarget *drop_target;

  _takes_shots_ensure_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selected_item_changed), self,
                           G_CONNECT_SWAPPED);
  /* A move keeps the selected shot but changes its position, and with
   * it which moves are possible. */
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  /* The selection re-emits the model's changes once its own state is
   * current, unlike the project's list. */
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_shots_changed), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);

  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Local to the list: Delete must not delete a shot while typing in
   * the editor beside it. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  add_shortcut (shortcuts, GDK_KEY_Delete, 0, "shots.delete");
  add_shortcut (shortcuts, GDK_KEY_KP_Delete, 0, "shots.delete");
  add_shortcut (shortcuts, GDK_KEY_Up, GDK_ALT_MASK, "shots.move-up");
  add_shortcut (shortcuts, GDK_KEY_KP_Up, GDK_ALT_MASK, "shots.move-up");
  add_shortcut (shortcuts, GDK_KEY_Down, GDK_ALT_MASK, "shots.move-down");
  add_shortcut (shortcuts, GDK_KEY_KP_Down, GDK_ALT_MASK, "shots.move-down");
  add_shortcut (shortcuts, GDK_KEY_Menu, 0, "shots.menu");
  add_shortcut (shortcuts, GDK_KEY_F10, GDK_SHIFT_MASK, "shots.menu");
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (shortcuts));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (on_context_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));

  drop_target = gtk_drop_target_new (TAKES_TYPE_SHOT, GDK_ACTION_MOVE);
  g_signal_connect (drop_target, "motion", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (drop_target));

  update_count (self);
  update_actions (self);
}

GtkWidget *
takes_shot_list_new (void)
{
  return g_object_new (TAKES_TYPE_SHOT_LIST, NULL);
}
