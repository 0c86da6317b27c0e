// A small worldserver-shaped program for crashwatch's tests: it prints a start-up banner with its build, runs a
// world thread and a network thread, and then, depending on its first argument:
//   crash   the world thread dereferences a removed unit in Map::Update (SIGSEGV, not in the main thread)
//   abort   the world thread calls abort() from World::Update (SIGABRT)
//   freeze  the world thread waits forever on a lock in Map::Update (no output, no CPU)
//   run     runs until stopped
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

struct Unit
{
    int health = 100;
    int GetHealth() const { return health; }
};

struct Map
{
    Unit* target = nullptr;
    std::mutex lock;

    int Update(char const* mode)
    {
        if (std::strcmp(mode, "freeze") == 0)
        {
            lock.lock();
            lock.lock();  // never returns: the world thread hangs here
        }
        return target->GetHealth();  // the unit was removed: a null dereference
    }
};

struct World
{
    Map map;

    void Update(char const* mode, int tick)
    {
        std::printf("World::Update tick %d\n", tick);
        std::fflush(stdout);
        if (tick < 3)
            return;
        if (std::strcmp(mode, "abort") == 0)
            std::abort();
        if (std::strcmp(mode, "run") != 0)
            std::printf("health %d\n", map.Update(mode));
    }
};

static void NetworkThread()
{
    for (;;)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

static void WorldUpdateLoop(char const* mode)
{
    World world;
    for (int tick = 0;; ++tick)
    {
        world.Update(mode, tick);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int main(int argc, char** argv)
{
    char const* mode = argc > 1 ? argv[1] : "crash";
    std::printf("TrinityCore rev. 0123456789ab+ 2026-12-01 10:00:00 +0000 (miniworld branch) (Unix, Debug, Static)\n");
    std::fflush(stdout);
    std::thread network(NetworkThread);
    std::thread world(WorldUpdateLoop, mode);
    world.join();
    network.join();
    return 0;
}
