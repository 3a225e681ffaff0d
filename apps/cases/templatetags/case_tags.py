from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ attachments|get_item:field.name }}`: a dict value by a variable key."""
    if not mapping:
        return None
    return mapping.get(key)
