#include "Map.h"

void Map::AddObjectToRemoveList(WorldObject* obj)
{
    ASSERT(obj->GetMapId() == GetId() && obj->GetInstanceId() == GetInstanceId());

    obj->CleanupsBeforeDelete(false);
    i_objectsToRemove.insert(obj);
}

bool Map::AddPlayerToMap(Player* player, bool initPlayer /*= true*/)
{
    return true;
}
